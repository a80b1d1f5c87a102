package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.ModelEndpointStatus;
import io.crosswind.api.v1alpha1.RoutingPolicy;
import io.crosswind.operator.conditions.ConditionTypes;
import io.crosswind.operator.conditions.Conditions;
import io.crosswind.operator.conditions.Conditions.Desired;
import io.crosswind.operator.conditions.Reasons;
import io.crosswind.operator.events.EventRecorder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles ModelEndpoints: resolves the routing policy, decides what keeps the endpoint from
 * serving, and reports it in status, conditions and events.
 */
@ControllerConfiguration(name = ModelEndpointReconciler.NAME)
public class ModelEndpointReconciler implements Reconciler<ModelEndpoint>, Cleaner<ModelEndpoint> {

  public static final String NAME = "modelendpoint";
  static final String POLICY_INDEX = "crosswind.io/routingPolicy";
  private static final Logger LOG = LoggerFactory.getLogger(ModelEndpointReconciler.class);

  private final EventRecorder events;
  private final Clock clock;

  public ModelEndpointReconciler(EventRecorder events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, ModelEndpoint>> prepareEventSources(
      EventSourceContext<ModelEndpoint> context) {
    context
        .getPrimaryCache()
        .addIndexer(
            POLICY_INDEX,
            e ->
                policyName(e)
                    .map(name -> List.of(key(e.getMetadata().getNamespace(), name)))
                    .orElse(List.of()));
    InformerEventSourceConfiguration<RoutingPolicy> policies =
        InformerEventSourceConfiguration.from(RoutingPolicy.class, ModelEndpoint.class)
            .withSecondaryToPrimaryMapper(
                policy ->
                    context
                        .getPrimaryCache()
                        .byIndex(
                            POLICY_INDEX,
                            key(
                                policy.getMetadata().getNamespace(),
                                policy.getMetadata().getName()))
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withPrimaryToSecondaryMapper(
                (ModelEndpoint e) ->
                    policyName(e)
                        .map(name -> Set.of(new ResourceID(name, e.getMetadata().getNamespace())))
                        .orElse(Set.of()))
            .build();
    return List.of(new InformerEventSource<>(policies, context));
  }

  @Override
  public UpdateControl<ModelEndpoint> reconcile(
      ModelEndpoint endpoint, Context<ModelEndpoint> context) {
    Optional<RoutingPolicy> policy = context.getSecondaryResource(RoutingPolicy.class);
    EndpointVerdict verdict =
        EndpointAssessment.assess(
            endpoint.getMetadata().getNamespace(), endpoint.getSpec(), policy);
    ModelEndpointStatus status =
        EndpointStatusCalculator.compute(endpoint, verdict, clock.instant());
    if (Objects.equals(status, endpoint.getStatus())) {
      return UpdateControl.noUpdate();
    }
    recordReadyChange(endpoint, status);
    return UpdateControl.patchStatus(withStatus(endpoint, status));
  }

  @Override
  public DeleteControl cleanup(ModelEndpoint endpoint, Context<ModelEndpoint> context) {
    // No cloud resources exist for an endpoint yet; providers add their clean-up here, honouring
    // spec.deletionPolicy.
    LOG.info(
        "ModelEndpoint {}/{} deleted; no cloud resources to remove",
        endpoint.getMetadata().getNamespace(),
        endpoint.getMetadata().getName());
    return DeleteControl.defaultDelete();
  }

  @Override
  public ErrorStatusUpdateControl<ModelEndpoint> updateErrorStatus(
      ModelEndpoint endpoint, Context<ModelEndpoint> context, Exception e) {
    LOG.warn(
        "reconcile of ModelEndpoint {}/{} failed",
        endpoint.getMetadata().getNamespace(),
        endpoint.getMetadata().getName(),
        e);
    ModelEndpointStatus status =
        endpoint.getStatus() == null ? new ModelEndpointStatus() : endpoint.getStatus();
    List<Condition> others =
        status.getConditions() == null
            ? List.of()
            : status.getConditions().stream()
                .filter(c -> !ConditionTypes.READY.equals(c.getType()))
                .toList();
    List<Condition> ready =
        Conditions.merge(
            status.getConditions(),
            List.of(
                Desired.isFalse(
                    ConditionTypes.READY,
                    Reasons.RECONCILE_ERROR,
                    "The operator could not reconcile this endpoint ("
                        + e.getClass().getSimpleName()
                        + "); it retries with backoff and its log has the details.")),
            EndpointStatusCalculator.generation(endpoint),
            clock.instant());
    ModelEndpointStatus next = new ModelEndpointStatus();
    next.setObservedGeneration(status.getObservedGeneration());
    next.setActiveTarget(status.getActiveTarget());
    next.setEndpoint(status.getEndpoint());
    next.setTargets(status.getTargets());
    next.setConditions(java.util.stream.Stream.concat(ready.stream(), others.stream()).toList());
    return ErrorStatusUpdateControl.patchStatus(withStatus(endpoint, next));
  }

  private void recordReadyChange(ModelEndpoint endpoint, ModelEndpointStatus next) {
    Optional<Condition> before =
        Conditions.find(
            endpoint.getStatus() == null ? null : endpoint.getStatus().getConditions(),
            ConditionTypes.READY);
    Condition after = Conditions.find(next.getConditions(), ConditionTypes.READY).orElseThrow();
    boolean changed =
        before.isEmpty()
            || !Objects.equals(before.get().getStatus(), after.getStatus())
            || !Objects.equals(before.get().getReason(), after.getReason());
    if (!changed) {
      return;
    }
    if (Conditions.TRUE.equals(after.getStatus())
        || Reasons.TARGETS_NOT_IMPLEMENTED.equals(after.getReason())) {
      events.normal(endpoint, after.getReason(), after.getMessage());
    } else {
      events.warning(endpoint, after.getReason(), after.getMessage());
    }
  }

  /** A fresh object that carries only the status, as server-side apply of status wants it. */
  static ModelEndpoint withStatus(ModelEndpoint endpoint, ModelEndpointStatus status) {
    ModelEndpoint patch = new ModelEndpoint();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(endpoint.getMetadata().getName())
            .withNamespace(endpoint.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }

  private static Optional<String> policyName(ModelEndpoint endpoint) {
    if (endpoint.getSpec() == null || endpoint.getSpec().getRoutingPolicyRef() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(endpoint.getSpec().getRoutingPolicyRef().getName());
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
