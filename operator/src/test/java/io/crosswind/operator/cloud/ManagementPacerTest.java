package io.crosswind.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crosswind.operator.cloud.ManagementPacer.Work;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ManagementPacerTest {

  @Test
  void backgroundWorkLeavesAQuarterOfTheBucketToWorkAPersonWaitsFor() {
    // A fifth of ARM's reads: a bucket of 50, refilled at 5 a second; background leaves 12.
    ManagementPacer pacer = new ManagementPacer(0.2, new SimpleMeterRegistry());
    int background = 0;
    while (pacer
        .tryAcquire("azure", "sub|principal|reads", ManagementPacer.ARM_READS, Work.BACKGROUND)
        .isEmpty()) {
      background++;
    }
    int userVisible = 0;
    while (pacer
        .tryAcquire("azure", "sub|principal|reads", ManagementPacer.ARM_READS, Work.USER_VISIBLE)
        .isEmpty()) {
      userVisible++;
    }

    assertThat(background).as("background calls before the reserve").isBetween(38, 39);
    assertThat(userVisible).as("calls a person waits for, from the reserve").isBetween(12, 13);
    assertThat(
            pacer.tryAcquire(
                "azure", "sub|other-principal|reads", ManagementPacer.ARM_READS, Work.BACKGROUND))
        .as("another principal has a bucket of its own")
        .isEmpty();
  }

  @Test
  void theBucketHoldsTheBudgetsShareOfThePublishedLimitAndNeverMore() {
    ManagementPacer pacer = new ManagementPacer(0.8, new SimpleMeterRegistry());
    int taken = 0;
    while (pacer
        .tryAcquire("azure", "s|writes", ManagementPacer.ARM_WRITES, Work.USER_VISIBLE)
        .isEmpty()) {
      taken++;
    }
    // ARM's writes bucket is 200: the operator takes 160 in a burst, then waits for the refill
    // (8 a second, a token every 125 ms).
    assertThat(taken).isBetween(160, 161);
    assertThat(pacer.tryAcquire("azure", "s|writes", ManagementPacer.ARM_WRITES, Work.USER_VISIBLE))
        .hasValueSatisfying(
            wait -> assertThat(wait).isBetween(Duration.ofMillis(1), Duration.ofMillis(130)));
  }

  @Test
  void aWaitLongerThanBackgroundWorkMayWaitIsPacedWithTheTimeToTryAgain() {
    // A thousandth of ARM's writes: a bucket of one token, refilled every 20 s (the slowest).
    ManagementPacer pacer = new ManagementPacer(0.001, new SimpleMeterRegistry());
    ManagementPacer.as(
        Work.BACKGROUND,
        () -> {
          pacer.acquire("azure", "s|writes", ManagementPacer.ARM_WRITES);
          return null;
        });
    assertThatThrownBy(
            () ->
                ManagementPacer.as(
                    Work.BACKGROUND,
                    () -> {
                      pacer.acquire("azure", "s|writes", ManagementPacer.ARM_WRITES);
                      return null;
                    }))
        .isInstanceOfSatisfying(
            ManagementPacer.Paced.class,
            p -> {
              assertThat(p.retryAfter()).isGreaterThan(ManagementPacer.MAX_WAIT_BACKGROUND);
              assertThat(p.error().reason()).isEqualTo("Paced");
              assertThat(CloudError.TRANSIENT).contains(p.error().reason());
            });
  }

  @Test
  void aBudgetOutsideZeroToOneIsRefusedWithTheReason() {
    assertThatThrownBy(() -> new ManagementPacer(1.5)).hasMessageContaining("from 0 to 1, not 1.5");
    ManagementPacer off = ManagementPacer.off();
    for (int i = 0; i < 10_000; i++) {
      off.acquire("azure", "s|writes", ManagementPacer.ARM_WRITES);
    }
  }
}
