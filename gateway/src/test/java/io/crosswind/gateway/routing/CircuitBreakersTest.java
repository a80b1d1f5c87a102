package io.crosswind.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitBreakersTest {

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void opensAfterFailuresInARowForTheCoolDownThenTriesAgain() {
    MovableClock clock = new MovableClock();
    List<String> registered = new ArrayList<>();
    CircuitBreakers breakers =
        new CircuitBreakers(
            3, Duration.ofSeconds(30), clock, (e, t) -> registered.add(e + "/" + t));

    breakers.failed("ns/e", "azure");
    breakers.failed("ns/e", "azure");
    breakers.succeeded("ns/e", "azure");
    breakers.failed("ns/e", "azure");
    breakers.failed("ns/e", "azure");
    assertThat(breakers.open("ns/e", "azure")).as("a success resets the count").isFalse();

    breakers.failed("ns/e", "azure");
    assertThat(breakers.open("ns/e", "azure")).isTrue();
    assertThat(breakers.open("ns/other", "azure")).isFalse();

    clock.now = clock.now.plusSeconds(31);
    assertThat(breakers.open("ns/e", "azure")).as("half open after the cool-down").isFalse();
    breakers.failed("ns/e", "azure");
    assertThat(breakers.open("ns/e", "azure")).as("one more failure opens it again").isTrue();
    breakers.succeeded("ns/e", "azure");
    assertThat(breakers.open("ns/e", "azure")).isFalse();
    assertThat(registered).containsExactly("ns/e/azure");
  }

  @Test
  void aHalfOpenCircuitAdmitsOneTrialAtATimeUntilItSucceeds() {
    MovableClock clock = new MovableClock();
    CircuitBreakers breakers = new CircuitBreakers(2, Duration.ofSeconds(30), clock, (e, t) -> {});
    breakers.failed("ns/e", "azure");
    breakers.failed("ns/e", "azure");
    assertThat(breakers.admit("ns/e", "azure")).as("open").isFalse();

    clock.now = clock.now.plusSeconds(31);
    assertThat(breakers.admit("ns/e", "azure")).as("the trial").isTrue();
    assertThat(breakers.admit("ns/e", "azure")).as("others wait for the trial").isFalse();
    assertThat(breakers.admit("ns/e", "azure")).isFalse();
    clock.now = clock.now.plus(CircuitBreakers.TRIAL_LEASE).plusMillis(1);
    assertThat(breakers.admit("ns/e", "azure")).as("a trial that never reported expires").isTrue();
    assertThat(breakers.admit("ns/e", "azure")).isFalse();

    breakers.succeeded("ns/e", "azure");
    assertThat(breakers.admit("ns/e", "azure")).isTrue();
    assertThat(breakers.admit("ns/e", "azure")).as("closed: every request").isTrue();
    assertThat(breakers.admit("ns/other", "azure")).isTrue();
  }

  @Test
  void aRetryAfterSkipsTheTargetForThatLongAtMostTheCoolDown() {
    MovableClock clock = new MovableClock();
    CircuitBreakers breakers = new CircuitBreakers(5, Duration.ofSeconds(10), clock, (e, t) -> {});

    breakers.backOff("ns/e", "bedrock", 60_000);
    assertThat(breakers.open("ns/e", "bedrock")).isTrue();
    clock.now = clock.now.plusSeconds(11);
    assertThat(breakers.open("ns/e", "bedrock")).isFalse();
  }

  @Test
  void whatThisReplicaReportsIsItsOpenCircuitsAndItIsToldOfEachChange() {
    MovableClock clock = new MovableClock();
    CircuitBreakers breakers = new CircuitBreakers(2, Duration.ofSeconds(30), clock, (e, t) -> {});
    List<List<CircuitBreakers.Open>> told = new ArrayList<>();
    breakers.onChange(() -> told.add(breakers.openCircuits()));

    breakers.failed("ns/e", "azure");
    assertThat(told).as("one failure opens nothing").isEmpty();
    breakers.failed("ns/e", "azure");
    breakers.failed("ns/e", "azure");
    breakers.backOff("ns/e", "bedrock", 5_000);

    assertThat(told).hasSize(2);
    assertThat(breakers.openCircuits())
        .containsExactly(
            new CircuitBreakers.Open(
                "ns/e", "azure", CircuitBreakers.Cause.FAILURES, 3, clock.now.plusSeconds(30)),
            new CircuitBreakers.Open(
                "ns/e", "bedrock", CircuitBreakers.Cause.RETRY_AFTER, 0, clock.now.plusSeconds(5)));

    breakers.succeeded("ns/e", "bedrock");
    assertThat(told).hasSize(3);
    assertThat(told.get(2)).extracting(CircuitBreakers.Open::target).containsExactly("azure");
    breakers.succeeded("ns/e", "bedrock");
    assertThat(told).as("a success that closes nothing is no change").hasSize(3);

    clock.now = clock.now.plusSeconds(31);
    assertThat(breakers.openCircuits()).as("a circuit past its cool-down is not open").isEmpty();
    breakers.failed("ns/e", "azure");
    assertThat(told).as("the half-open try failed: open again").hasSize(4);
    assertThat(told.get(3)).extracting(CircuitBreakers.Open::failures).containsExactly(4);
  }
}
