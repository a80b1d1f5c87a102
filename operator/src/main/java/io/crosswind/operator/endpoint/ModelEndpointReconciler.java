package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.ModelEndpointStatus;
import io.crosswind.api.v1alpha1.RoutingPolicy;
import io.crosswind.api.v1alpha1.RoutingPolicySpec;
import io.crosswind.api.v1alpha1.RoutingStrategy;
import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.operator.cloud.CloudProviders;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.conditions.ConditionTypes;
import io.crosswind.operator.conditions.Conditions;
import io.crosswind.operator.conditions.Conditions.Desired;
import io.crosswind.operator.conditions.Reasons;
import io.crosswind.operator.endpoint.EndpointStatusCalculator.HealthFact;
import io.crosswind.operator.events.EventRecorder;
import io.crosswind.operator.health.GatewayCircuits;
import io.crosswind.operator.health.TargetProber;
import io.crosswind.operator.publish.EndpointKey;
import io.crosswind.operator.publish.PublishedNames;
import io.crosswind.operator.publish.PublishedTable;
import io.crosswind.operator.publish.PublishedTables;
import io.crosswind.operator.routing.ActiveTargetDecision;
import io.crosswind.operator.routing.ActiveTargetDecision.Candidate;
import io.crosswind.operator.routing.ActiveTargetDecision.Selection;
import io.crosswind.operator.routing.PolicyValidator;
import io.crosswind.operator.routing.RoutingMetrics;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
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
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles ModelEndpoints: provisions each target through its cloud provider, decides the active
 * target, publishes the route table, the endpoint Secret and Service, probes the targets, and
 * reports it all in status, conditions and events.
 */
@ControllerConfiguration(
    name = ModelEndpointReconciler.NAME,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = ModelEndpointReconciler.SpecOrRequestChanged.class))
public class ModelEndpointReconciler
    implements Reconciler<ModelEndpoint>, Cleaner<ModelEndpoint>, AutoCloseable {

  public static final String NAME = "modelendpoint";
  static final String POLICY_INDEX = "crosswind.io/routingPolicy";
  static final String AZURE_ACCOUNT_INDEX = "crosswind.io/azureAccount";

  /** What a target's rotation does to the account keys that other endpoints may publish too. */
  static final Set<String> ACCOUNT_KEY_CHANGES =
      Set.of("CredentialsRotating", "CredentialsRotated");

  static final String ROUTE_TABLES = "route-tables";
  static final String SERVICES = "endpoint-services";
  static final String PROBES = "probes";
  private static final Logger LOG = LoggerFactory.getLogger(ModelEndpointReconciler.class);

  private final EventRecorder events;
  private final Clock clock;
  private final EndpointSettings settings;
  private final TargetProvisioner provisioner;
  private final CloudProviders providers;
  private final SimpleInboundEventSource<ModelEndpoint> probeEvents =
      new SimpleInboundEventSource<>(PROBES);
  private final TargetProber prober;
  private final GatewayCircuits circuits;
  private volatile IndexerResourceCache<ModelEndpoint> endpointsCache;

  private final EndpointPublisher publisher;
  private final EndpointEvents endpointEvents;

  public ModelEndpointReconciler(
      EventRecorder events,
      Clock clock,
      CloudProviders providers,
      EndpointSettings settings,
      RoutingMetrics metrics) {
    this(events, clock, providers, settings, metrics, GatewayCircuits.none());
  }

  /**
   * @param circuits the gateway's passive health view: a target whose circuit is open there counts
   *     as failing whatever the probes say
   */
  public ModelEndpointReconciler(
      EventRecorder events,
      Clock clock,
      CloudProviders providers,
      EndpointSettings settings,
      RoutingMetrics metrics,
      GatewayCircuits circuits) {
    this.events = events;
    this.circuits = circuits;
    circuits.onChange(probeEvents::propagateEvent);
    this.clock = clock;
    this.settings = settings;
    this.providers = providers;
    this.publisher = new EndpointPublisher(settings, clock);
    this.provisioner = new TargetProvisioner(providers, settings.clusterId());
    this.prober =
        new TargetProber(
            clock,
            probeEvents::propagateEvent,
            (key, result) ->
                metrics.probed(
                    key.endpoint().getNamespace().orElse(""),
                    key.endpoint().getName(),
                    key.target(),
                    result.health().name(),
                    result.latency()));
    this.endpointEvents =
        new EndpointEvents(
            events,
            metrics,
            (endpoint, target) -> evidence(ResourceID.fromResource(endpoint), target));
  }

  /**
   * Reconciles on a new generation, a changed rotation request, a finalizer change or deletion; not
   * on the operator's own status writes.
   */
  public static final class SpecOrRequestChanged implements OnUpdateFilter<ModelEndpoint> {
    @Override
    public boolean accept(ModelEndpoint updated, ModelEndpoint old) {
      return !Objects.equals(
              updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
          || !Objects.equals(
              TargetProvisioner.rotationRequest(updated), TargetProvisioner.rotationRequest(old))
          || !Objects.equals(
              updated.getMetadata().getFinalizers(), old.getMetadata().getFinalizers())
          || updated.isMarkedForDeletion();
    }
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
    context
        .getPrimaryCache()
        .addIndexer(AZURE_ACCOUNT_INDEX, ModelEndpointReconciler::azureAccounts);
    endpointsCache = context.getPrimaryCache();
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
    InformerEventSourceConfiguration<Secret> routeTables =
        InformerEventSourceConfiguration.from(Secret.class, ModelEndpoint.class)
            .withName(ROUTE_TABLES)
            .withNamespaces(Set.of(settings.operatorNamespace()))
            .withLabelSelector(selector(PublishedNames.COMPONENT_ROUTE_TABLE))
            .withSecondaryToPrimaryMapper(byEndpointLabels())
            .build();
    InformerEventSourceConfiguration<Service> services =
        InformerEventSourceConfiguration.from(Service.class, ModelEndpoint.class)
            .withName(SERVICES)
            .withNamespacesInheritedFromController()
            .withLabelSelector(selector(PublishedNames.COMPONENT_ENDPOINT))
            .withSecondaryToPrimaryMapper(byEndpointLabels())
            .build();
    return List.of(
        new InformerEventSource<>(policies, context),
        new InformerEventSource<>(routeTables, context),
        new InformerEventSource<>(services, context),
        probeEvents);
  }

  @Override
  public UpdateControl<ModelEndpoint> reconcile(
      ModelEndpoint endpoint, Context<ModelEndpoint> context) {
    Optional<RoutingPolicy> policy = context.getSecondaryResource(RoutingPolicy.class);
    PublishedTable previous =
        PublishedTables.read(context.getSecondaryResource(Secret.class, ROUTE_TABLES));
    List<TargetOutcome> outcomes = provisioner.reconcile(endpoint, previous, context.getClient());
    wakeEndpointsSharingRotatedAccounts(endpoint, outcomes);

    Optional<EndpointVerdict> routingProblem =
        EndpointAssessment.assess(
            endpoint.getMetadata().getNamespace(), endpoint.getSpec(), policy);
    // A missing or invalid policy is reported, but traffic keeps flowing in the targets' order.
    Optional<RoutingPolicySpec> policySpec =
        routingProblem.isPresent() ? Optional.empty() : policy.map(RoutingPolicy::getSpec);
    Map<String, HealthFact> health = health(endpoint, outcomes);
    Selection selection =
        ActiveTargetDecision.decide(
            policySpec,
            candidates(outcomes, previous, health),
            new ActiveTargetDecision.Current(
                previous.active(),
                previous.activeSince() == null ? null : Instant.parse(previous.activeSince())),
            clock.instant());
    EndpointKey endpointKey = publisher.endpointKey(endpoint, context);
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
    publisher.publish(endpoint, context, publication, endpointKey);
    probe(endpoint, publication, policySpec);

    ModelEndpointStatus status =
        EndpointStatusCalculator.compute(
            endpoint,
            new EndpointStatusCalculator.Report(
                routingProblem, outcomes, selection, publication, health),
            clock.instant());
    endpointEvents.recordEvents(endpoint, outcomes, previous, selection, status);
    UpdateControl<ModelEndpoint> control =
        Objects.equals(status, endpoint.getStatus())
            ? UpdateControl.noUpdate()
            : UpdateControl.patchStatus(withStatus(endpoint, status));
    Stream.concat(recheck(outcomes).stream(), selection.revisitAfter().stream())
        .min(Duration::compareTo)
        .map(this::floor)
        .ifPresent(after -> control.rescheduleAfter(after));
    return control;
  }

  private Map<String, HealthFact> health(ModelEndpoint endpoint, List<TargetOutcome> outcomes) {
    ResourceID id = ResourceID.fromResource(endpoint);
    Map<String, HealthFact> health = new HashMap<>();
    for (TargetOutcome o : outcomes) {
      TargetHealthFacts.of(
              prober.view(new TargetProber.Key(id, o.name())),
              circuits.open(id, o.name()),
              circuits.replicasOpen(id, o.name()))
          .ifPresent(fact -> health.put(o.name(), fact));
    }
    return health;
  }

  /**
   * The Azure accounts whose deployments the endpoint's status names (the resource id up to {@code
   * /deployments/}), lower-cased as ARM compares them.
   */
  static List<String> azureAccounts(ModelEndpoint endpoint) {
    if (endpoint.getStatus() == null || endpoint.getStatus().getTargets() == null) {
      return List.of();
    }
    return endpoint.getStatus().getTargets().stream()
        .map(t -> azureAccountOf(t.getResourceId()))
        .filter(Objects::nonNull)
        .distinct()
        .toList();
  }

  static String azureAccountOf(String resourceId) {
    if (resourceId == null) {
      return null;
    }
    String id = resourceId.toLowerCase(java.util.Locale.ROOT);
    int deployments = id.indexOf("/deployments/");
    return id.contains("/providers/microsoft.cognitiveservices/accounts/") && deployments > 0
        ? id.substring(0, deployments)
        : null;
  }

  /**
   * Account keys belong to the account, not to one endpoint: when a target's rotation regenerates
   * one, every other endpoint with a deployment in that account looks again at once (and
   * republishes the key's new value), instead of at its next probe failure or resync.
   */
  private void wakeEndpointsSharingRotatedAccounts(
      ModelEndpoint endpoint, List<TargetOutcome> outcomes) {
    IndexerResourceCache<ModelEndpoint> cache = endpointsCache;
    if (cache == null) {
      return;
    }
    ResourceID self = ResourceID.fromResource(endpoint);
    for (TargetOutcome o : outcomes) {
      TargetObservation observed = o.observation();
      boolean changed =
          observed.events() != null
              && observed.events().stream().anyMatch(e -> ACCOUNT_KEY_CHANGES.contains(e.reason()));
      String account = azureAccountOf(observed.resourceId());
      if (!changed || account == null) {
        continue;
      }
      cache.byIndex(AZURE_ACCOUNT_INDEX, account).stream()
          .map(ResourceID::fromResource)
          .filter(id -> !id.equals(self))
          .forEach(
              id -> {
                LOG.info("account {} changed keys: {} looks again", account, id);
                probeEvents.propagateEvent(id);
              });
    }
  }

  /** For FailedOver's message: what the gateway or the probes saw of the target traffic left. */
  private String evidence(ResourceID endpoint, String target) {
    return TargetHealthFacts.failoverEvidence(
        target,
        circuits.open(endpoint, target),
        prober
            .view(new TargetProber.Key(endpoint, target))
            .map(TargetProber.View::failuresInARow)
            .orElse(0));
  }

  private static List<Candidate> candidates(
      List<TargetOutcome> outcomes, PublishedTable previous, Map<String, HealthFact> health) {
    return outcomes.stream()
        .filter(o -> !o.removed() && o.provider() != null)
        .map(
            o ->
                new Candidate(
                    o.name(),
                    o.provider(),
                    region(o, previous),
                    EndpointPublication.servingState(o, previous),
                    health.getOrDefault(o.name(), HealthFact.UNKNOWN).health()))
        .toList();
  }

  private static String region(TargetOutcome o, PublishedTable previous) {
    if (o.observation().upstream() != null && o.observation().upstream().region() != null) {
      return o.observation().upstream().region();
    }
    return previous
        .route(o.name())
        .map(PublishedTable.Route::region)
        .or(() -> TargetFacts.region(o.target()))
        .orElse(null);
  }

  /**
   * Tells the informer of {@code source} about a write of the operator's own, so that its watch
   * event does not start another reconcile (JOSDK's temporary resource cache).
   */
  @SuppressWarnings("unchecked")
  private void probe(
      ModelEndpoint endpoint, EndpointPublication publication, Optional<RoutingPolicySpec> policy) {
    ResourceID id = ResourceID.fromResource(endpoint);
    TargetProber.Settings probe = ProbeSettings.of(policy, settings.defaultProbe());
    Set<String> probed = new java.util.HashSet<>();
    if (probe.interval().isZero()) {
      prober.forget(id);
      return;
    }
    for (PublishedTable.Route route : publication.routeTable().routes()) {
      if (!TargetState.Ready.name().equals(route.state())
          || route.url() == null
          || route.credential() == null) {
        continue;
      }
      var provider = providers.get(io.crosswind.api.v1alpha1.Provider.valueOf(route.provider()));
      if (provider.isEmpty()) {
        continue;
      }
      probed.add(route.target());
      prober.track(
          new TargetProber.Key(id, route.target()),
          provider.get(),
          new io.crosswind.operator.cloud.Upstream(
              io.crosswind.operator.cloud.Upstream.Api.valueOf(route.api()),
              route.url(),
              route.upstreamModel(),
              route.region()),
          route.credential().toCredential(),
          probe);
    }
    prober.retain(id, probed);
  }

  /**
   * When to look again: the soonest any target asks for. A ready target is looked at at least every
   * resync interval (drift, a resource deleted outside Crosswind), whatever its provider asks (a
   * key renewal half an hour away); a failed one keeps the provider's backoff, since its next look
   * may be a mutating call.
   */
  private Optional<Duration> recheck(List<TargetOutcome> outcomes) {
    return outcomes.stream()
        .map(
            o -> {
              Duration asked = o.observation().recheckAfter();
              if (o.observation().state() != TargetState.Ready) {
                return asked;
              }
              return asked == null || asked.compareTo(settings.resyncInterval()) > 0
                  ? settings.resyncInterval()
                  : asked;
            })
        .filter(Objects::nonNull)
        .min(Duration::compareTo)
        .map(this::floor);
  }

  @Override
  public DeleteControl cleanup(ModelEndpoint endpoint, Context<ModelEndpoint> context) {
    prober.forget(ResourceID.fromResource(endpoint));
    PublishedTable previous =
        PublishedTables.read(context.getSecondaryResource(Secret.class, ROUTE_TABLES));
    String where = endpoint.getMetadata().getNamespace() + "/" + endpoint.getMetadata().getName();
    if (TargetProvisioner.deletionPolicy(endpoint)
        == io.crosswind.api.v1alpha1.DeletionPolicy.Retain) {
      LOG.info("ModelEndpoint {} deleted; its cloud resources stay (deletionPolicy Retain)", where);
      publisher.unpublish(endpoint, context);
      return DeleteControl.defaultDelete();
    }
    List<TargetOutcome> outcomes = provisioner.delete(endpoint, previous, context.getClient());
    List<TargetOutcome> pending =
        outcomes.stream().filter(o -> !o.observation().deleted()).toList();
    if (pending.isEmpty()) {
      LOG.info("ModelEndpoint {} deleted with its cloud resources", where);
      publisher.unpublish(endpoint, context);
      return DeleteControl.defaultDelete();
    }
    for (TargetOutcome o : pending) {
      boolean waiting =
          o.observation().state() == TargetState.Deleting
              && !Reasons.DELETION_BLOCKED.equals(o.observation().reason());
      if (waiting) {
        events.normal(
            endpoint, o.observation().reason(), o.name() + ": " + o.observation().message());
      } else {
        events.warning(
            endpoint, o.observation().reason(), o.name() + ": " + o.observation().message());
      }
    }
    patchStatus(endpoint, context, DeletionStatus.of(endpoint, pending, clock.instant()));
    Duration after = recheck(pending).orElse(TargetProvisioner.SECRET_RECHECK);
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(after.toMillis());
  }

  /**
   * A status write outside JOSDK's own (during deletion, where {@link Cleaner} writes none): with
   * the controller's field manager, so that server-side apply keeps one owner of status.
   */
  private static void patchStatus(
      ModelEndpoint endpoint, Context<ModelEndpoint> context, ModelEndpointStatus status) {
    if (Objects.equals(status, endpoint.getStatus())) {
      return;
    }
    ModelEndpoint patch = withStatus(endpoint, status);
    var client = context.getClient().resource(patch);
    if (context
        .getControllerConfiguration()
        .getConfigurationService()
        .useSSAToPatchPrimaryResource()) {
      client
          .subresource("status")
          .patch(
              new io.fabric8.kubernetes.client.dsl.base.PatchContext.Builder()
                  .withPatchType(io.fabric8.kubernetes.client.dsl.base.PatchType.SERVER_SIDE_APPLY)
                  .withFieldManager(context.getControllerConfiguration().fieldManager())
                  .withForce(true)
                  .build());
    } else {
      context
          .getClient()
          .resources(ModelEndpoint.class)
          .inNamespace(endpoint.getMetadata().getNamespace())
          .withName(endpoint.getMetadata().getName())
          .editStatus(
              e -> {
                e.setStatus(status);
                return e;
              });
    }
  }

  /** No reconcile comes back sooner than {@link EndpointSettings#MIN_RECHECK}. */
  private Duration floor(Duration d) {
    return d.compareTo(EndpointSettings.MIN_RECHECK) < 0 ? EndpointSettings.MIN_RECHECK : d;
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
    next.setTargetsReady(status.getTargetsReady());
    next.setConditions(Stream.concat(ready.stream(), others.stream()).toList());
    return ErrorStatusUpdateControl.patchStatus(withStatus(endpoint, next));
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

  @Override
  public void close() {
    prober.close();
    circuits.close();
  }

  private static String selector(String component) {
    return PublishedNames.SELECTOR + "," + PublishedNames.COMPONENT + "=" + component;
  }

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata>
      SecondaryToPrimaryMapper<R> byEndpointLabels() {
    return r -> {
      Map<String, String> labels = r.getMetadata().getLabels();
      if (labels == null
          || labels.get(PublishedNames.ENDPOINT_NAME) == null
          || labels.get(PublishedNames.ENDPOINT_NAMESPACE) == null) {
        return Set.of();
      }
      return Set.of(
          new ResourceID(
              labels.get(PublishedNames.ENDPOINT_NAME),
              labels.get(PublishedNames.ENDPOINT_NAMESPACE)));
    };
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
