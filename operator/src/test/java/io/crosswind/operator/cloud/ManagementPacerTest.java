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
  void beyondTwoWaitersOnABucketCallersGetTurnsSpacedByItsRefillAndOtherScopesGoOn()
      throws Exception {
    // A twentieth of Bedrock's creates: one token, refilled every 20 s.
    ManagementPacer pacer = new ManagementPacer(0.05, new SimpleMeterRegistry());
    ManagementPacer.Limit creates = new ManagementPacer.Limit(1, 1);
    pacer.acquire("bedrock", "a|creates", creates); // the one token
    java.util.concurrent.ExecutorService waiting =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < 2; i++) {
        waiting.submit(
            () -> {
              try {
                pacer.acquire("bedrock", "a|creates", creates);
              } catch (ManagementPacer.Paced ignored) {
                // the test ends before their turn
              }
            });
      }
      org.awaitility.Awaitility.await()
          .until(() -> pacer.waitingOn("bedrock", "a|creates", creates) == 2);

      java.util.List<Duration> turns = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        long before = System.nanoTime();
        assertThatThrownBy(() -> pacer.acquire("bedrock", "a|creates", creates))
            .isInstanceOfSatisfying(ManagementPacer.Paced.class, p -> turns.add(p.retryAfter()));
        assertThat(Duration.ofNanos(System.nanoTime() - before))
            .as("a caller beyond the two waiting is not held on its thread")
            .isLessThan(Duration.ofSeconds(2));
      }
      // After the two waiting threads' refills (20 s each), one turn per refill.
      assertThat(turns.get(0)).isGreaterThan(Duration.ofSeconds(40));
      assertThat(turns.get(1).minus(turns.get(0)))
          .isBetween(Duration.ofSeconds(19), Duration.ofSeconds(21));
      assertThat(turns.get(2).minus(turns.get(1)))
          .isBetween(Duration.ofSeconds(19), Duration.ofSeconds(21));

      long before = System.nanoTime();
      pacer.acquire("azure", "s|writes", ManagementPacer.ARM_WRITES);
      assertThat(Duration.ofNanos(System.nanoTime() - before))
          .as("another scope does not wait behind it")
          .isLessThan(Duration.ofSeconds(1));
    } finally {
      waiting.shutdownNow();
    }
  }

  @Test
  void aCallerBackBeforeItsTurnKeepsItAndNewcomersQueueBehindTurnsGivenOut() throws Exception {
    // One token refilled every 20 s; two threads already wait for it.
    ManagementPacer pacer = new ManagementPacer(0.05, new SimpleMeterRegistry());
    ManagementPacer.Limit creates = new ManagementPacer.Limit(1, 1);
    pacer.acquire("bedrock", "a|creates", creates);
    java.util.concurrent.ExecutorService waiting =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < 2; i++) {
        waiting.submit(
            () -> {
              try {
                pacer.acquire("bedrock", "a|creates", creates);
              } catch (ManagementPacer.Paced ignored) {
                // the test ends before their turn
              }
            });
      }
      org.awaitility.Awaitility.await()
          .until(() -> pacer.waitingOn("bedrock", "a|creates", creates) == 2);

      Duration first = paced(pacer, creates, "endpoint-1").retryAfter();
      Duration second = paced(pacer, creates, "endpoint-2").retryAfter();
      Duration again = paced(pacer, creates, "endpoint-1").retryAfter();
      Duration newcomer = paced(pacer, creates, "endpoint-3").retryAfter();

      assertThat(second.minus(first)).isBetween(Duration.ofSeconds(19), Duration.ofSeconds(21));
      assertThat(again)
          .as("back before its turn: the same turn, not one behind endpoint-2")
          .isLessThanOrEqualTo(first);
      assertThat(newcomer.minus(second))
          .as("a newcomer queues behind the turns given out")
          .isBetween(Duration.ofSeconds(19), Duration.ofSeconds(21));
    } finally {
      waiting.shutdownNow();
    }
  }

  static ManagementPacer.Paced paced(
      ManagementPacer pacer, ManagementPacer.Limit limit, String who) {
    try {
      ManagementPacer.as(
          Work.USER_VISIBLE,
          who,
          () -> {
            pacer.acquire("bedrock", "a|creates", limit);
            return null;
          });
    } catch (ManagementPacer.Paced p) {
      return p;
    }
    throw new AssertionError(who + " was not paced");
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
