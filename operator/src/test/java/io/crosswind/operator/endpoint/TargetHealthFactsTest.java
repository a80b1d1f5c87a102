package io.crosswind.operator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.operator.cloud.ProbeResult;
import io.crosswind.operator.endpoint.EndpointStatusFactory.HealthFact;
import io.crosswind.operator.health.GatewayCircuits;
import io.crosswind.operator.health.TargetProber;
import io.crosswind.wire.CircuitReport;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetHealthFactsTest {

  static final Instant T = Instant.parse("2026-12-02T10:00:00Z");
  static final Optional<TargetProber.View> HEALTHY =
      Optional.of(
          new TargetProber.View(
              TargetHealth.Healthy,
              new ProbeResult(TargetHealth.Healthy, 200, Duration.ofMillis(5), "", T),
              T,
              0));

  static Optional<GatewayCircuits.Circuit> circuit(CircuitReport.Cause cause) {
    return Optional.of(
        new GatewayCircuits.Circuit(
            new ResourceID("chat", "apps"), "bedrock", "gw-0", cause, 5, T.plusSeconds(30)));
  }

  @Test
  void anOpenCircuitWinsOverHealthyProbesAndKeepsTheirTime() {
    HealthFact failing =
        TargetHealthFacts.of(HEALTHY, circuit(CircuitReport.Cause.Failures), 2).orElseThrow();
    HealthFact throttled =
        TargetHealthFacts.of(HEALTHY, circuit(CircuitReport.Cause.RetryAfter), 1).orElseThrow();

    assertThat(failing.health()).isEqualTo(TargetHealth.Unhealthy);
    assertThat(failing.changedAt()).isEqualTo(T);
    assertThat(failing.message())
        .isEqualTo(
            "Requests through the gateway failed 5 times in a row; 2 gateway replicas skip it"
                + " until 2026-12-02T10:00:30Z.");
    assertThat(throttled.health()).isEqualTo(TargetHealth.Throttled);
    assertThat(throttled.message())
        .isEqualTo(
            "It answered 429 with Retry-After; 1 gateway replica skips it until"
                + " 2026-12-02T10:00:30Z.");
  }

  @Test
  void withoutACircuitTheProbesSpeakAndWithNeitherNothingIsKnown() {
    assertThat(TargetHealthFacts.of(HEALTHY, Optional.empty(), 0))
        .hasValue(new HealthFact(TargetHealth.Healthy, T, ""));
    assertThat(TargetHealthFacts.of(Optional.empty(), Optional.empty(), 0)).isEmpty();
    assertThat(
            TargetHealthFacts.of(Optional.empty(), circuit(CircuitReport.Cause.Failures), 1)
                .map(HealthFact::changedAt))
        .as("never probed: no probe time")
        .isEmpty();
  }

  @Test
  void failoverEvidenceNamesWhatWasSeen() {
    assertThat(
            TargetHealthFacts.failoverEvidence("bedrock", circuit(CircuitReport.Cause.Failures), 3))
        .isEqualTo(" after 5 requests in a row through the gateway failed on bedrock");
    assertThat(TargetHealthFacts.failoverEvidence("bedrock", Optional.empty(), 3))
        .isEqualTo(" after 3 failed probes of bedrock");
    assertThat(TargetHealthFacts.failoverEvidence("bedrock", Optional.empty(), 0)).isEmpty();
  }

  static io.crosswind.api.v1alpha1.TargetStatus recorded(TargetHealth health, Instant since) {
    io.crosswind.api.v1alpha1.TargetStatus t = new io.crosswind.api.v1alpha1.TargetStatus();
    t.setName("bedrock");
    t.setHealth(health);
    t.setLastProbeTime(since.toString());
    return t;
  }

  @Test
  void afterARestartTheRecordedHealthStandsUntilTheFirstProbeAndAProbeThatAgreesKeepsItsTime() {
    Instant earlier = T.minus(Duration.ofHours(3));
    Optional<TargetProber.View> notYetProbed =
        Optional.of(new TargetProber.View(TargetHealth.Unknown, null, T, 0));

    HealthFact before =
        TargetHealthFacts.of(
                notYetProbed, Optional.empty(), 0, recorded(TargetHealth.Unhealthy, earlier))
            .orElseThrow();
    assertThat(before.health())
        .as("a failed-over target stays failed over across a restart")
        .isEqualTo(TargetHealth.Unhealthy);
    assertThat(before.changedAt()).isEqualTo(earlier);
    assertThat(
            TargetHealthFacts.of(
                    Optional.empty(),
                    Optional.empty(),
                    0,
                    recorded(TargetHealth.Unhealthy, earlier))
                .map(HealthFact::health))
        .as("nor before the prober tracks it, on the first reconcile")
        .contains(TargetHealth.Unhealthy);

    HealthFact agreeing =
        TargetHealthFacts.of(HEALTHY, Optional.empty(), 0, recorded(TargetHealth.Healthy, earlier))
            .orElseThrow();
    assertThat(agreeing.changedAt())
        .as("the status is not rewritten with a new time")
        .isEqualTo(earlier);

    HealthFact changed =
        TargetHealthFacts.of(
                HEALTHY, Optional.empty(), 0, recorded(TargetHealth.Unhealthy, earlier))
            .orElseThrow();
    assertThat(changed.health()).isEqualTo(TargetHealth.Healthy);
    assertThat(changed.changedAt()).isEqualTo(T);
  }
}
