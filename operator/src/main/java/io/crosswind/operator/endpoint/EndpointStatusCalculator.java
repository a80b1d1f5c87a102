package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.ModelEndpointStatus;
import io.crosswind.api.v1alpha1.Target;
import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.api.v1alpha1.TargetStatus;
import io.crosswind.operator.conditions.ConditionTypes;
import io.crosswind.operator.conditions.Conditions;
import io.crosswind.operator.conditions.Conditions.Desired;
import io.crosswind.operator.conditions.Reasons;
import java.time.Instant;
import java.util.List;

/** Computes the status a ModelEndpoint should have from its spec and a verdict, without I/O. */
public final class EndpointStatusCalculator {

  private EndpointStatusCalculator() {}

  public static ModelEndpointStatus compute(
      ModelEndpoint endpoint, EndpointVerdict verdict, Instant now) {
    List<Target> targets =
        endpoint.getSpec().getTargets() == null ? List.of() : endpoint.getSpec().getTargets();
    long generation = generation(endpoint);
    List<Condition> existing =
        endpoint.getStatus() == null ? List.of() : endpoint.getStatus().getConditions();

    ModelEndpointStatus status = new ModelEndpointStatus();
    status.setObservedGeneration(generation);
    status.setTargets(targets.stream().map(EndpointStatusCalculator::pendingTarget).toList());
    status.setTargetsReady("0/" + targets.size());
    status.setConditions(
        Conditions.merge(
            existing,
            List.of(
                Desired.isFalse(ConditionTypes.READY, verdict.reason(), verdict.message()),
                Desired.isFalse(
                    ConditionTypes.TARGETS_READY,
                    Reasons.TARGETS_NOT_IMPLEMENTED,
                    "No target is provisioned: this Crosswind version does not create cloud"
                        + " resources yet."),
                Desired.isFalse(
                    ConditionTypes.ENDPOINT_PUBLISHED,
                    Reasons.AWAITING_TARGETS,
                    "The Service and endpoint Secret are published once a target is ready."),
                Desired.isFalse(
                    ConditionTypes.DEGRADED,
                    Reasons.NOT_SERVING,
                    "The endpoint serves no traffic yet, so it is not serving from a fallback.")),
            generation,
            now));
    return status;
  }

  private static TargetStatus pendingTarget(Target target) {
    TargetStatus status = new TargetStatus();
    status.setName(target.getName());
    TargetFacts.provider(target).ifPresent(status::setProvider);
    status.setState(TargetState.Pending);
    status.setHealth(TargetHealth.Unknown);
    status.setMessage("Provisioning of this target is not implemented yet.");
    return status;
  }

  static long generation(ModelEndpoint endpoint) {
    Long generation = endpoint.getMetadata().getGeneration();
    return generation == null ? 0L : generation;
  }
}
