package io.crosswind.operator.routing;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.RoutingPolicy;
import io.crosswind.api.v1alpha1.RoutingPolicyStatus;
import io.crosswind.operator.conditions.ConditionTypes;
import io.crosswind.operator.conditions.Conditions;
import io.crosswind.operator.conditions.Conditions.Desired;
import io.crosswind.operator.conditions.Reasons;
import io.crosswind.operator.events.EventRecorder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reconciles RoutingPolicies: says whether each is valid ({@code Accepted}) and counts the
 * ModelEndpoints that use it. Routing itself happens for each endpoint.
 */
@ControllerConfiguration(name = RoutingPolicyReconciler.NAME)
public class RoutingPolicyReconciler implements Reconciler<RoutingPolicy> {

  public static final String NAME = "routingpolicy";

  private final EventRecorder events;
  private final Clock clock;
  private final Map<ResourceID, Reference> lastPolicy = new ConcurrentHashMap<>();

  public RoutingPolicyReconciler(EventRecorder events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, RoutingPolicy>> prepareEventSources(
      EventSourceContext<RoutingPolicy> context) {
    InformerEventSourceConfiguration<ModelEndpoint> endpoints =
        InformerEventSourceConfiguration.from(ModelEndpoint.class, RoutingPolicy.class)
            .withSecondaryToPrimaryMapper(this::policiesToRecount)
            .build();
    return List.of(new InformerEventSource<>(endpoints, context));
  }

  /**
   * The policies an endpoint event concerns: the one it names now and the one it named before.
   * JOSDK passes only the new object of an update, so without this memory a policy an endpoint left
   * would keep counting it until the next resync.
   */
  Set<ResourceID> policiesToRecount(ModelEndpoint endpoint) {
    ResourceID id = ResourceID.fromResource(endpoint);
    String version = endpoint.getMetadata().getResourceVersion();
    ResourceID current = policyOf(endpoint).orElse(null);
    if (gone(endpoint)) {
      // Its last events (the finalizer's removal, the deletion): recount, and forget it.
      Reference last = lastPolicy.remove(id);
      Set<ResourceID> policies = new HashSet<>();
      if (current != null) {
        policies.add(current);
      }
      if (last != null && last.current() != null) {
        policies.add(last.current());
      }
      return policies;
    }
    // JOSDK calls this more than once per event (for its index, then for the event): the same
    // resource version gets the same answer.
    Reference reference =
        lastPolicy.compute(
            id,
            (k, last) -> {
              if (last != null && Objects.equals(last.version(), version)) {
                return last;
              }
              return new Reference(version, current, last == null ? null : last.current());
            });
    Set<ResourceID> policies = new HashSet<>();
    if (reference.current() != null) {
      policies.add(reference.current());
    }
    if (reference.previous() != null) {
      policies.add(reference.previous());
    }
    return policies;
  }

  /** Deleted, or about to be: marked for deletion with no finalizer left to hold it. */
  private static boolean gone(ModelEndpoint endpoint) {
    List<String> finalizers = endpoint.getMetadata().getFinalizers();
    return endpoint.isMarkedForDeletion() && (finalizers == null || finalizers.isEmpty());
  }

  /** How many endpoints' policies are remembered; for tests. */
  int remembered() {
    return lastPolicy.size();
  }

  /** The policy an endpoint named at a resource version, and the one it named before. */
  private record Reference(String version, ResourceID current, ResourceID previous) {}

  private static Optional<ResourceID> policyOf(ModelEndpoint endpoint) {
    if (endpoint.getSpec() == null || endpoint.getSpec().getRoutingPolicyRef() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new ResourceID(
            endpoint.getSpec().getRoutingPolicyRef().getName(),
            endpoint.getMetadata().getNamespace()));
  }

  @Override
  public UpdateControl<RoutingPolicy> reconcile(
      RoutingPolicy policy, Context<RoutingPolicy> context) {
    // The index behind getSecondaryResources keeps an endpoint under a policy it has left:
    // count only those that name this policy now.
    ResourceID self = ResourceID.fromResource(policy);
    int users =
        (int)
            context
                .getSecondaryResourcesAsStream(ModelEndpoint.class)
                .filter(e -> policyOf(e).filter(self::equals).isPresent())
                .count();
    RoutingPolicyStatus status = computeStatus(policy, users);
    if (Objects.equals(status, policy.getStatus())) {
      return UpdateControl.noUpdate();
    }
    recordAcceptedChange(policy, status);
    RoutingPolicy patch = new RoutingPolicy();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(policy.getMetadata().getName())
            .withNamespace(policy.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return UpdateControl.patchStatus(patch);
  }

  RoutingPolicyStatus computeStatus(RoutingPolicy policy, int users) {
    long generation =
        policy.getMetadata().getGeneration() == null ? 0L : policy.getMetadata().getGeneration();
    List<String> problems = PolicyValidator.problems(policy.getSpec());
    Desired accepted =
        problems.isEmpty()
            ? Desired.isTrue(
                ConditionTypes.ACCEPTED,
                Reasons.VALID,
                "The policy is valid; ModelEndpoints that name it route by it.")
            : Desired.isFalse(
                ConditionTypes.ACCEPTED,
                Reasons.INVALID,
                "The policy is not valid: " + String.join("; ", problems) + ".");
    RoutingPolicyStatus status = new RoutingPolicyStatus();
    status.setObservedGeneration(generation);
    status.setEndpoints(users);
    status.setConditions(
        Conditions.merge(
            policy.getStatus() == null ? null : policy.getStatus().getConditions(),
            List.of(accepted),
            generation,
            clock.instant()));
    return status;
  }

  private void recordAcceptedChange(RoutingPolicy policy, RoutingPolicyStatus next) {
    Optional<Condition> before =
        Conditions.find(
            policy.getStatus() == null ? null : policy.getStatus().getConditions(),
            ConditionTypes.ACCEPTED);
    Condition after = Conditions.find(next.getConditions(), ConditionTypes.ACCEPTED).orElseThrow();
    boolean changed =
        before.isEmpty()
            || !Objects.equals(before.get().getStatus(), after.getStatus())
            || !Objects.equals(before.get().getMessage(), after.getMessage());
    if (!changed) {
      return;
    }
    if (Conditions.TRUE.equals(after.getStatus())) {
      events.normal(policy, after.getReason(), after.getMessage());
    } else {
      events.warning(policy, after.getReason(), after.getMessage());
    }
  }
}
