package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.ModelEndpointStatus;
import io.crosswind.api.v1alpha1.RoutingPolicy;
import io.crosswind.api.v1alpha1.RoutingPolicySpec;
import io.crosswind.api.v1alpha1.RoutingStrategy;
import io.crosswind.operator.endpoint.EndpointStatusFactory.HealthFact;
import io.crosswind.operator.publish.EndpointKey;
import io.crosswind.operator.publish.PublishedTable;
import io.crosswind.operator.routing.ActiveTargetDecision;
import io.crosswind.operator.routing.ActiveTargetDecision.Selection;
import io.crosswind.operator.routing.PolicyValidator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one reconcile decides once the cloud step is done, without I/O: the routing policy it
 * goes by, the active target, what to publish, and the status. The reconciler then acts on it; the
 * golden tests feed it from files.
 *
 * @param policy the policy routing goes by; empty when there is none or it is not valid (then
 *     traffic keeps flowing in the targets' order, and the status says why)
 * @param selection the active target and the ranking
 * @param publication the route table, the endpoint Secret and the Service
 * @param status the endpoint's status
 */
public record EndpointPlan(
    Optional<RoutingPolicySpec> policy,
    Selection selection,
    EndpointPublication publication,
    ModelEndpointStatus status) {

  /**
   * @param policy the RoutingPolicy the endpoint names, if it exists
   * @param previous what the last reconcile published
   * @param outcomes each target after the cloud step
   * @param health what the probes and the gateway say of each target
   * @param endpointKey the key applications present to the gateway
   */
  public static EndpointPlan of(
      ModelEndpoint endpoint,
      EndpointSettings settings,
      Optional<RoutingPolicy> policy,
      PublishedTable previous,
      List<TargetOutcome> outcomes,
      Map<String, HealthFact> health,
      EndpointKey endpointKey,
      Instant now) {
    Optional<EndpointVerdict> routingProblem =
        EndpointAssessment.assess(
            endpoint.getMetadata().getNamespace(), endpoint.getSpec(), policy);
    Optional<RoutingPolicySpec> policySpec =
        routingProblem.isPresent() ? Optional.empty() : policy.map(RoutingPolicy::getSpec);
    Selection selection =
        ActiveTargetDecision.decide(
            policySpec,
            RoutingCandidates.of(outcomes, previous, health),
            new ActiveTargetDecision.Current(
                previous.active(),
                previous.activeSince() == null ? null : Instant.parse(previous.activeSince())),
            now);
    EndpointPublication publication =
        EndpointPublication.plan(
            endpoint,
            settings,
            policySpec.map(PolicyValidator::strategy).orElse(RoutingStrategy.Failover),
            outcomes,
            selection,
            name -> health.getOrDefault(name, HealthFact.UNKNOWN).health(),
            previous,
            endpointKey);
    ModelEndpointStatus status =
        EndpointStatusFactory.compute(
            endpoint,
            new EndpointStatusFactory.Report(
                routingProblem, outcomes, selection, publication, health),
            now);
    return new EndpointPlan(policySpec, selection, publication, status);
  }
}
