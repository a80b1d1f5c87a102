package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.api.v1alpha1.TargetStatus;
import io.crosswind.operator.endpoint.EndpointStatusFactory.HealthFact;
import io.crosswind.operator.health.GatewayCircuits;
import io.crosswind.operator.health.TargetProber;
import io.crosswind.wire.CircuitReport;
import java.time.Instant;
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
    return of(probe, circuit, replicas, null);
  }

  /**
   * As above, with what the endpoint's status said of the target before: until this process has
   * probed the target, its health is the one the status recorded, and a probe that finds the same
   * health keeps the time the status gave for it. So a restart of the operator neither rewrites
   * every status (Unknown, then the health it had) nor forgets a failover it made.
   *
   * @param before the target's status as the endpoint has it, null when none
   */
  static Optional<HealthFact> of(
      Optional<TargetProber.View> probe,
      Optional<GatewayCircuits.Circuit> circuit,
      long replicas,
      TargetStatus before) {
    TargetHealth known =
        before == null || before.getHealth() == null ? TargetHealth.Unknown : before.getHealth();
    Instant knownSince = before == null ? null : instant(before.getLastProbeTime());
    Optional<HealthFact> recorded =
        known == TargetHealth.Unknown
            ? Optional.empty()
            : Optional.of(new HealthFact(known, knownSince, null));
    Optional<HealthFact> probed =
        probe.isEmpty()
            ? recorded // not tracked yet: the first reconcile after a restart
            : probe.map(
                v -> {
                  if (v.last() == null && known != TargetHealth.Unknown) {
                    return new HealthFact(known, knownSince, null);
                  }
                  Instant since = v.last() == null ? null : v.changedAt();
                  if (v.last() != null && v.health() == known && knownSince != null) {
                    since = knownSince.isBefore(since) ? knownSince : since;
                  }
                  return new HealthFact(
                      v.health(), since, v.last() == null ? null : v.last().message());
                });
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

  private static Instant instant(String timestamp) {
    if (timestamp == null) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
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
