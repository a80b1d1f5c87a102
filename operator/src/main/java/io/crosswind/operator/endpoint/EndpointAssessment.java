package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.EndpointConfig;
import io.crosswind.api.v1alpha1.EndpointMode;
import io.crosswind.api.v1alpha1.ModelEndpointSpec;
import io.crosswind.api.v1alpha1.PolicyTarget;
import io.crosswind.api.v1alpha1.RoutingPolicy;
import io.crosswind.api.v1alpha1.RoutingStrategy;
import io.crosswind.api.v1alpha1.Target;
import io.crosswind.operator.conditions.Reasons;
import io.crosswind.operator.routing.PolicyValidator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides, without I/O, what in its routing keeps a ModelEndpoint from serving: its policy
 * reference, the policy's validity, the combination of strategy and endpoint mode, and the policy's
 * constraints. The first problem found wins, because a person fixes them in this order.
 */
public final class EndpointAssessment {

  private EndpointAssessment() {}

  /**
   * The verdict for an endpoint.
   *
   * @param namespace the endpoint's namespace, for messages
   * @param spec the endpoint's spec
   * @param policy the RoutingPolicy that {@code spec.routingPolicyRef} names, if it exists
   */
  public static Optional<EndpointVerdict> assess(
      String namespace, ModelEndpointSpec spec, Optional<RoutingPolicy> policy) {
    List<Target> targets = spec.getTargets() == null ? List.of() : spec.getTargets();
    if (spec.getRoutingPolicyRef() != null) {
      String name = spec.getRoutingPolicyRef().getName();
      if (policy.isEmpty()) {
        return Optional.of(
            new EndpointVerdict(
                Reasons.ROUTING_POLICY_NOT_FOUND,
                "RoutingPolicy \""
                    + name
                    + "\" does not exist in namespace "
                    + namespace
                    + "; create it or remove spec.routingPolicyRef."));
      }
      return policyProblem(name, spec, policy.get(), targets);
    }
    return Optional.empty();
  }

  private static Optional<EndpointVerdict> policyProblem(
      String name, ModelEndpointSpec spec, RoutingPolicy policy, List<Target> targets) {
    List<String> problems = PolicyValidator.problems(policy.getSpec());
    if (!problems.isEmpty()) {
      return Optional.of(
          new EndpointVerdict(
              Reasons.ROUTING_POLICY_NOT_ACCEPTED,
              "RoutingPolicy \"" + name + "\" is not valid: " + String.join("; ", problems) + "."));
    }
    RoutingStrategy strategy = PolicyValidator.strategy(policy.getSpec());
    if (strategy == RoutingStrategy.Weighted && mode(spec) == EndpointMode.Direct) {
      return Optional.of(
          new EndpointVerdict(
              Reasons.WEIGHTED_NEEDS_GATEWAY,
              "RoutingPolicy \""
                  + name
                  + "\" splits traffic by weight, which only the gateway can do; set"
                  + " spec.endpoint.mode to Gateway or use a Failover policy."));
    }
    List<PolicyTarget> entries = policy.getSpec().getTargets();
    List<Target> selectable = targets.stream().filter(t -> matchesAny(t, entries)).toList();
    if (selectable.isEmpty()) {
      return Optional.of(
          new EndpointVerdict(
              Reasons.NO_ELIGIBLE_TARGET,
              "No entry of RoutingPolicy \""
                  + name
                  + "\" matches a target of this endpoint ("
                  + names(targets)
                  + "); name one of them or its provider in the policy."));
    }
    List<String> regions = TargetFacts.allowedRegions(policy.getSpec());
    if (!regions.isEmpty()
        && selectable.stream()
            .allMatch(t -> TargetFacts.region(t).map(r -> !regions.contains(r)).orElse(false))) {
      return Optional.of(
          new EndpointVerdict(
              Reasons.NO_ELIGIBLE_TARGET,
              "RoutingPolicy \""
                  + name
                  + "\" allows only regions "
                  + String.join(", ", regions)
                  + ", and every target it selects is elsewhere ("
                  + selectable.stream()
                      .map(t -> t.getName() + " in " + TargetFacts.region(t).orElse("?"))
                      .collect(Collectors.joining(", "))
                  + ")."));
    }
    return Optional.empty();
  }

  static EndpointMode mode(ModelEndpointSpec spec) {
    EndpointConfig endpoint = spec.getEndpoint();
    return endpoint == null || endpoint.getMode() == null
        ? EndpointMode.Gateway
        : endpoint.getMode();
  }

  private static boolean matchesAny(Target target, List<PolicyTarget> entries) {
    return entries != null
        && entries.stream()
            .anyMatch(
                e ->
                    target.getName().equals(e.getName())
                        || (e.getProvider() != null
                            && TargetFacts.provider(target)
                                .filter(e.getProvider()::equals)
                                .isPresent()));
  }

  private static String names(List<Target> targets) {
    return targets.stream().map(Target::getName).collect(Collectors.joining(", "));
  }
}
