package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.TargetStatus;
import io.crosswind.operator.endpoint.EndpointStatusFactory.HealthFact;
import io.crosswind.operator.health.GatewayCircuits;
import io.crosswind.operator.health.TargetProber;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What is known of the targets' health from outside the cloud's management API: the operator's own
 * probes and the circuits the gateway replicas report, merged by {@link TargetHealthFacts}.
 */
public final class TargetHealthView {

  private final TargetProber prober;
  private final GatewayCircuits circuits;

  public TargetHealthView(TargetProber prober, GatewayCircuits circuits) {
    this.prober = prober;
    this.circuits = circuits;
  }

  /**
   * The health of each target that has any, by target name.
   *
   * @param before the endpoint's targets as its status has them, by name: their health stands until
   *     this process has probed them
   */
  Map<String, HealthFact> of(
      ResourceID endpoint, List<TargetOutcome> outcomes, Map<String, TargetStatus> before) {
    Map<String, HealthFact> health = new HashMap<>();
    for (TargetOutcome o : outcomes) {
      TargetHealthFacts.of(
              prober.view(new TargetProber.Key(endpoint, o.name())),
              circuits.open(endpoint, o.name()),
              circuits.replicasOpen(endpoint, o.name()),
              before.get(o.name()))
          .ifPresent(fact -> health.put(o.name(), fact));
    }
    return health;
  }

  /** For FailedOver's message: what the gateway or the probes saw of the target traffic left. */
  String failoverEvidence(ResourceID endpoint, String target) {
    return TargetHealthFacts.failoverEvidence(
        target,
        circuits.open(endpoint, target),
        prober
            .view(new TargetProber.Key(endpoint, target))
            .map(TargetProber.View::failuresInARow)
            .orElse(0));
  }
}
