package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.operator.endpoint.EndpointStatusFactory.HealthFact;
import io.crosswind.operator.health.GatewayCircuits;
import io.crosswind.operator.health.TargetProber;
import io.crosswind.wire.CircuitReport;
import java.util.Optional;

/**
 * A target's health from its two sources, the operator's probes and the gateway's circuits: an open
 * circuit means real requests fail there, so it wins over whatever the probes say.
 */
final class TargetHealthFacts {

  private TargetHealthFacts() {}

  /**
   * @param probe what the probes say, if the target is probed
   * @param circuit the circuit a gateway replica has open for the target, if any
   * @param replicas how many replicas have it open
   * @return the health routing and status use; empty when neither source knows anything
   */
  static Optional<HealthFact> of(
      Optional<TargetProber.View> probe, Optional<GatewayCircuits.Circuit> circuit, long replicas) {
    Optional<HealthFact> probed =
        probe.map(
            v ->
                new HealthFact(
                    v.health(),
                    v.last() == null ? null : v.changedAt(),
                    v.last() == null ? null : v.last().message()));
    if (circuit.isEmpty()) {
      return probed;
    }
    GatewayCircuits.Circuit c = circuit.get();
    String where = replicas == 1 ? "1 gateway replica skips" : replicas + " gateway replicas skip";
    var probedAt = probed.map(HealthFact::changedAt).orElse(null);
    return Optional.of(
        c.cause() == CircuitReport.Cause.RetryAfter
            ? new HealthFact(
                TargetHealth.Throttled,
                probedAt,
                "It answered 429 with Retry-After; " + where + " it until " + c.openUntil() + ".")
            : new HealthFact(
                TargetHealth.Unhealthy,
                probedAt,
                "Requests through the gateway failed "
                    + c.failures()
                    + " times in a row; "
                    + where
                    + " it until "
                    + c.openUntil()
                    + "."));
  }

  /** For FailedOver's message: what was seen of the target traffic left, or nothing. */
  static String failoverEvidence(
      String target, Optional<GatewayCircuits.Circuit> circuit, int failedProbes) {
    if (circuit.isPresent()) {
      return circuit.get().cause() == CircuitReport.Cause.RetryAfter
          ? " after " + target + " answered the gateway 429 with Retry-After"
          : " after "
              + circuit.get().failures()
              + " requests in a row through the gateway failed on "
              + target;
    }
    return failedProbes > 0 ? " after " + failedProbes + " failed probes of " + target : "";
  }
}
