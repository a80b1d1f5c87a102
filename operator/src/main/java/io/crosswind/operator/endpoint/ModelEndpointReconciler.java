package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.ModelEndpointStatus;
import io.crosswind.api.v1alpha1.RoutingPolicy;
import io.crosswind.api.v1alpha1.RoutingPolicySpec;
import io.crosswind.operator.cloud.CloudProviders;
import io.crosswind.operator.cloud.ManagementPacer;
import io.crosswind.operator.cloud.SharedCredentials;
import io.crosswind.operator.conditions.ConditionTypes;
import io.crosswind.operator.events.EventRecorder;
import io.crosswind.operator.health.GatewayCircuits;
import io.crosswind.operator.health.TargetProber;
import io.crosswind.operator.publish.EndpointKey;
import io.crosswind.operator.publish.PublishedTable;
import io.crosswind.operator.publish.PublishedTables;
import io.crosswind.operator.routing.RoutingMetrics;
import io.crosswind.operator.tenancy.GrantBook;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
  private static final Logger LOG = LoggerFactory.getLogger(ModelEndpointReconciler.class);

  private final Clock clock;
  private final EndpointSettings settings;
  private final CloudProviders providers;
  private final TargetProvisioner provisioner;
  private final EndpointPublisher publisher;
  private final TargetProber prober;
  private final GatewayCircuits circuits;
  private final TargetHealthView health;
  private final EndpointEvents endpointEvents;
  private final EventRecorder events;
  private final SimpleInboundEventSource<ModelEndpoint> wakeUps;
  private volatile IndexerResourceCache<ModelEndpoint> endpointsCache;

  /**
   * @param wakeUps the event source through which probes, gateway circuits and other endpoints'
   *     rotations ask for a reconcile; the prober and the circuits must report to it
   */
  public ModelEndpointReconciler(
      Clock clock,
      EndpointSettings settings,
      CloudProviders providers,
      TargetProvisioner provisioner,
      EndpointPublisher publisher,
      TargetProber prober,
      GatewayCircuits circuits,
      TargetHealthView health,
      EndpointEvents endpointEvents,
      EventRecorder events,
      SimpleInboundEventSource<ModelEndpoint> wakeUps) {
    this.clock = clock;
    this.settings = settings;
    this.providers = providers;
    this.provisioner = provisioner;
    this.publisher = publisher;
    this.prober = prober;
    this.circuits = circuits;
    this.health = health;
    this.endpointEvents = endpointEvents;
    this.events = events;
    this.wakeUps = wakeUps;
  }

  /**
   * The reconciler with its collaborators, wired in this one place.
   *
   * @param circuits the gateway's passive health view: a target whose circuit is open there counts
   *     as failing whatever the probes say
   * @param grants the CloudGrants: a target no grant allows is neither created, read nor published
   */
  public static ModelEndpointReconciler create(
      EventRecorder events,
      Clock clock,
      CloudProviders providers,
      EndpointSettings settings,
      RoutingMetrics metrics,
      GatewayCircuits circuits,
      GrantBook grants) {
    SimpleInboundEventSource<ModelEndpoint> wakeUps =
        new SimpleInboundEventSource<>(EndpointEventSources.WAKE_UPS);
    circuits.onChange(wakeUps::propagateEvent);
    TargetProber prober =
        new TargetProber(
            clock,
            wakeUps::propagateEvent,
            (key, result) ->
                metrics.probed(
                    key.endpoint().getNamespace().orElse(""),
                    key.endpoint().getName(),
                    key.target(),
                    result.health().name(),
                    result.latency()));
    TargetHealthView health = new TargetHealthView(prober, circuits);
    return new ModelEndpointReconciler(
        clock,
        settings,
        providers,
        new TargetProvisioner(providers, settings.clusterId(), grants),
        new EndpointPublisher(settings, clock),
        prober,
        circuits,
        health,
        new EndpointEvents(
            events,
            metrics,
            (endpoint, target) ->
                health.failoverEvidence(ResourceID.fromResource(endpoint), target)),
        events,
        wakeUps);
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
    endpointsCache = context.getPrimaryCache();
    prober.reconciledBy(id -> endpointsCache.get(id).isPresent());
    return EndpointEventSources.of(
        context,
        publisher.routeTables(),
        publisher.services(),
        provisioner.grants().eventSource(context),
        wakeUps);
  }

  @Override
  public UpdateControl<ModelEndpoint> reconcile(
      ModelEndpoint endpoint, Context<ModelEndpoint> context) {
    Optional<RoutingPolicy> policy = context.getSecondaryResource(RoutingPolicy.class);
    PublishedTable previous = PublishedTables.read(publisher.routeTable(endpoint, context));
    List<TargetOutcome> outcomes =
        ManagementPacer.as(
            workOf(endpoint),
            endpoint.getMetadata().getUid(),
            () ->
                provisioner.reconcile(
                    endpoint, previous, context.getClient(), sharedWith(endpoint)));
    CredentialsInUse.release(
        endpoint,
        TargetProvisioner.credentialsNoLongerNeeded(endpoint, previous, outcomes),
        context.getClient());
    wakeEndpointsSharingRotatedAccounts(endpoint, outcomes);

    EndpointKey endpointKey = publisher.endpointKey(endpoint, context);
    EndpointPlan plan =
        EndpointPlan.of(
            endpoint,
            settings,
            policy,
            previous,
            outcomes,
            health.of(ResourceID.fromResource(endpoint), outcomes, targetsBefore(endpoint)),
            endpointKey,
            clock.instant());
    publisher.publish(endpoint, context, plan.publication(), endpointKey);
    probe(endpoint, plan.publication(), plan.policy());
    endpointEvents.record(endpoint, outcomes, previous.active(), plan.selection(), plan.status());
    ModelEndpointStatus status = plan.status();
    UpdateControl<ModelEndpoint> control =
        Objects.equals(status, endpoint.getStatus())
            ? UpdateControl.noUpdate()
            : UpdateControl.patchStatus(withStatus(endpoint, status));
    Rechecks.next(outcomes, plan.selection().revisitAfter(), resyncOf(endpoint))
        .ifPresent(after -> control.rescheduleAfter(after));
    return control;
  }

  /**
   * What the other endpoints with a deployment in an Azure account publish from it, read from the
   * route tables the operator's informer holds: no call to the API server or the cloud.
   */
  private SharedCredentials sharedWith(ModelEndpoint endpoint) {
    IndexerResourceCache<ModelEndpoint> cache = endpointsCache;
    if (cache == null) {
      return SharedCredentials.NONE;
    }
    ResourceID self = ResourceID.fromResource(endpoint);
    return resourceId -> {
      // The index keys accounts as AzureResourceIds does: lower case, as ARM ids compare.
      String account = resourceId.toLowerCase(java.util.Locale.ROOT);
      return cache.byIndex(SharedAccounts.INDEX, account).stream()
          .filter(other -> !ResourceID.fromResource(other).equals(self))
          .flatMap(other -> publisher.publishedRouteTable(other).stream())
          .flatMap(table -> SharedAccounts.credentialsFrom(table, account).stream())
          .toList();
    };
  }

  /**
   * Every other endpoint with a deployment in an Azure account whose keys this reconcile rotated
   * looks again at once, to publish the keys' new values.
   */
  private void wakeEndpointsSharingRotatedAccounts(
      ModelEndpoint endpoint, List<TargetOutcome> outcomes) {
    IndexerResourceCache<ModelEndpoint> cache = endpointsCache;
    if (cache == null) {
      return;
    }
    ResourceID self = ResourceID.fromResource(endpoint);
    for (String account : SharedAccounts.rotated(outcomes)) {
      cache.byIndex(SharedAccounts.INDEX, account).stream()
          .map(ResourceID::fromResource)
          .filter(id -> !id.equals(self))
          .forEach(
              id -> {
                LOG.info("account {} changed keys: {} looks again", account, id);
                wakeUps.propagateEvent(id);
              });
    }
  }

  /** Probes what the endpoint published as ready, at the policy's interval; forgets the rest. */
  private void probe(
      ModelEndpoint endpoint, EndpointPublication publication, Optional<RoutingPolicySpec> policy) {
    ResourceID id = ResourceID.fromResource(endpoint);
    TargetProber.Settings probe = ProbeSettings.of(policy, settings.defaultProbe());
    if (probe.interval().isZero()) {
      prober.forget(id);
      return;
    }
    Set<String> probed = new HashSet<>();
    for (ProbeTargets.ProbeTarget target : ProbeTargets.of(publication.routeTable())) {
      providers
          .get(target.provider())
          .ifPresent(
              provider -> {
                probed.add(target.target());
                prober.track(
                    new TargetProber.Key(id, target.target()),
                    provider,
                    target.upstream(),
                    target.credential(),
                    probe);
              });
    }
    prober.retain(id, probed);
  }

  /**
   * Who waits for this reconcile's cloud calls: nobody when the endpoint is Ready and its spec was
   * already observed (a resync or recheck), else the person who applied or changed it.
   */
  static ManagementPacer.Work workOf(ModelEndpoint endpoint) {
    ModelEndpointStatus status = endpoint.getStatus();
    boolean observed =
        status != null
            && status.getObservedGeneration() != null
            && status.getObservedGeneration().equals(endpoint.getMetadata().getGeneration());
    boolean ready =
        status != null
            && status.getConditions() != null
            && status.getConditions().stream()
                .anyMatch(
                    c -> ConditionTypes.READY.equals(c.getType()) && "True".equals(c.getStatus()));
    return observed && ready && endpoint.getMetadata().getDeletionTimestamp() == null
        ? ManagementPacer.Work.BACKGROUND
        : ManagementPacer.Work.USER_VISIBLE;
  }

  /**
   * The endpoint's targets as its status has them, by name; none when probing is off, since no
   * probe would ever replace the health they record.
   */
  private java.util.Map<String, io.crosswind.api.v1alpha1.TargetStatus> targetsBefore(
      ModelEndpoint endpoint) {
    java.util.Map<String, io.crosswind.api.v1alpha1.TargetStatus> byName =
        new java.util.HashMap<>();
    if (!settings.defaultProbe().interval().isZero()
        && endpoint.getStatus() != null
        && endpoint.getStatus().getTargets() != null) {
      endpoint.getStatus().getTargets().forEach(t -> byName.put(t.getName(), t));
    }
    return byName;
  }

  @Override
  public DeleteControl cleanup(ModelEndpoint endpoint, Context<ModelEndpoint> context) {
    prober.forget(ResourceID.fromResource(endpoint));
    PublishedTable previous = PublishedTables.read(publisher.routeTable(endpoint, context));
    String where = endpoint.getMetadata().getNamespace() + "/" + endpoint.getMetadata().getName();
    if (TargetProvisioner.deletionPolicy(endpoint)
        == io.crosswind.api.v1alpha1.DeletionPolicy.Retain) {
      LOG.info("ModelEndpoint {} deleted; its cloud resources stay (deletionPolicy Retain)", where);
      endpointEvents.deletionDone(endpoint);
      publisher.unpublish(endpoint, context);
      CredentialsInUse.release(
          endpoint,
          TargetProvisioner.allCredentialsSecrets(endpoint, previous),
          context.getClient());
      return DeleteControl.defaultDelete();
    }
    List<TargetOutcome> outcomes =
        ManagementPacer.as(
            ManagementPacer.Work.USER_VISIBLE,
            endpoint.getMetadata().getUid(),
            () -> provisioner.delete(endpoint, previous, context.getClient()));
    List<TargetOutcome> pending =
        outcomes.stream().filter(o -> !o.observation().deleted()).toList();
    if (pending.isEmpty()) {
      LOG.info("ModelEndpoint {} deleted with its cloud resources", where);
      endpointEvents.deletionDone(endpoint);
      publisher.unpublish(endpoint, context);
      CredentialsInUse.release(
          endpoint,
          TargetProvisioner.allCredentialsSecrets(endpoint, previous),
          context.getClient());
      return DeleteControl.defaultDelete();
    }
    endpointEvents.deletionWaiting(
        endpoint,
        pending,
        o ->
            provisioner
                .grants()
                .grant(provisioner.grants().decide(endpoint, o.target()).identity().grant()));
    patchStatus(
        endpoint, context, EndpointStatusFactory.deleting(endpoint, pending, clock.instant()));
    Duration after =
        Rechecks.next(pending, Optional.empty(), resyncOf(endpoint))
            .orElse(TargetProvisioner.SECRET_RECHECK);
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(after.toMillis());
  }

  /**
   * A status write outside JOSDK's own (during deletion, where {@link Cleaner} writes none),
   * through JOSDK's utilities, which use the controller's field manager (one owner of status under
   * server-side apply) and cache the result, so the write's own watch event starts no reconcile.
   */
  private static void patchStatus(
      ModelEndpoint endpoint, Context<ModelEndpoint> context, ModelEndpointStatus status) {
    if (Objects.equals(status, endpoint.getStatus())) {
      return;
    }
    PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(
        endpoint, withStatus(endpoint, status), context);
  }

  @Override
  public ErrorStatusUpdateControl<ModelEndpoint> updateErrorStatus(
      ModelEndpoint endpoint, Context<ModelEndpoint> context, Exception e) {
    Optional<PublishRefused> nameTaken = PublishRefused.in(e);
    if (nameTaken.isPresent()) {
      PublishRefused taken = nameTaken.get();
      LOG.warn(
          "ModelEndpoint {}/{}: {}",
          endpoint.getMetadata().getNamespace(),
          endpoint.getMetadata().getName(),
          taken.getMessage());
      events.warning(endpoint, taken.reason(), taken.getMessage());
    } else {
      LOG.warn(
          "reconcile of ModelEndpoint {}/{} failed",
          endpoint.getMetadata().getNamespace(),
          endpoint.getMetadata().getName(),
          e);
    }
    ModelEndpointStatus next = EndpointStatusFactory.failed(endpoint, e, clock.instant());
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

  private Duration resyncOf(ModelEndpoint endpoint) {
    return Rechecks.resyncOf(
        endpoint.getMetadata().getNamespace(),
        endpoint.getMetadata().getName(),
        settings.resyncInterval());
  }
}
