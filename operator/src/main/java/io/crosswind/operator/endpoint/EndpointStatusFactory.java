package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.EndpointAddress;
import io.crosswind.api.v1alpha1.EndpointMode;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.ModelEndpointStatus;
import io.crosswind.api.v1alpha1.TargetCredentialsStatus;
import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.api.v1alpha1.TargetStatus;
import io.crosswind.operator.cloud.TargetDetails;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.conditions.ConditionTypes;
import io.crosswind.operator.conditions.Conditions;
import io.crosswind.operator.conditions.Conditions.Desired;
import io.crosswind.operator.conditions.Reasons;
import io.crosswind.operator.publish.PublishedNames;
import io.crosswind.operator.publish.PublishedTable.RouteCredential;
import io.crosswind.operator.routing.ActiveTargetDecision.Selection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every status a ModelEndpoint gets, decided without I/O: after a reconcile ({@link #compute}),
 * while its deletion waits on the cloud ({@link #deleting}), and when a reconcile failed ({@link
 * #failed}). Each condition the operator writes is written here.
 */
public final class EndpointStatusFactory {

  private EndpointStatusFactory() {}

  /** What the probes say of a target: its health, since when, and why. */
  public record HealthFact(TargetHealth health, Instant changedAt, String message) {
    public static final HealthFact UNKNOWN = new HealthFact(TargetHealth.Unknown, null, null);
  }

  /**
   * Everything the status reports.
   *
   * @param routingProblem what in the routing keeps the endpoint from serving, if anything
   * @param outcomes each target after the cloud step
   * @param selection the active target and the ranking
   * @param publication what was published
   * @param health the probes' view per target name
   */
  public record Report(
      Optional<EndpointVerdict> routingProblem,
      List<TargetOutcome> outcomes,
      Selection selection,
      EndpointPublication publication,
      Map<String, HealthFact> health) {}

  public static ModelEndpointStatus compute(ModelEndpoint endpoint, Report report, Instant now) {
    long generation = generation(endpoint);
    List<Condition> existing =
        endpoint.getStatus() == null ? List.of() : endpoint.getStatus().getConditions();
    List<TargetOutcome> current = report.outcomes().stream().filter(o -> !o.removed()).toList();
    long ready = current.stream().filter(o -> o.observation().state() == TargetState.Ready).count();

    ModelEndpointStatus status = new ModelEndpointStatus();
    status.setObservedGeneration(generation);
    status.setActiveTarget(report.selection().active().orElse(null));
    status.setTargets(current.stream().map(o -> targetStatus(o, report)).toList());
    status.setTargetsReady(ready + "/" + current.size());
    if (report.publication().url().isPresent()) {
      EndpointAddress address = new EndpointAddress();
      address.setUrl(report.publication().url().get());
      address.setSecretName(PublishedNames.endpointSecret(endpoint.getMetadata().getName()));
      status.setEndpoint(address);
    }
    status.setConditions(
        Conditions.merge(
            existing,
            List.of(
                readyCondition(report, current),
                targetsReadyCondition(current),
                publishedCondition(endpoint, report),
                degradedCondition(report)),
            generation,
            now));
    return status;
  }

  private static Desired readyCondition(Report report, List<TargetOutcome> current) {
    if (report.routingProblem().isPresent()) {
      EndpointVerdict v = report.routingProblem().get();
      return Desired.isFalse(ConditionTypes.READY, v.reason(), v.message());
    }
    if (report.publication().problem().isPresent()) {
      EndpointVerdict v = report.publication().problem().get();
      return Desired.isFalse(ConditionTypes.READY, v.reason(), v.message());
    }
    if (report.selection().active().isPresent() && report.publication().secretData().isPresent()) {
      return Desired.isTrue(
          ConditionTypes.READY, Reasons.SERVING, capitalize(report.selection().why()) + ".");
    }
    Optional<TargetOutcome> failed =
        current.stream().filter(o -> o.observation().state() == TargetState.Failed).findFirst();
    if (failed.isPresent()) {
      TargetObservation o = failed.get().observation();
      return Desired.isFalse(
          ConditionTypes.READY,
          o.reason(),
          "No target serves yet; " + failed.get().name() + ": " + o.message());
    }
    if (current.stream().anyMatch(o -> o.observation().state() == TargetState.Ready)) {
      return Desired.isFalse(
          ConditionTypes.READY,
          Reasons.NO_ELIGIBLE_TARGET,
          "Targets are ready but none may serve under the routing policy's constraints.");
    }
    return Desired.isFalse(
        ConditionTypes.READY,
        Reasons.PROVISIONING,
        "No target serves yet: " + describe(current) + ".");
  }

  private static Desired targetsReadyCondition(List<TargetOutcome> current) {
    List<TargetOutcome> notReady =
        current.stream().filter(o -> o.observation().state() != TargetState.Ready).toList();
    if (notReady.isEmpty()) {
      return Desired.isTrue(
          ConditionTypes.TARGETS_READY,
          Reasons.ALL_TARGETS_READY,
          "Every target is provisioned (" + current.size() + "/" + current.size() + ").");
    }
    boolean failed = notReady.stream().anyMatch(o -> o.observation().state() == TargetState.Failed);
    return Desired.isFalse(
        ConditionTypes.TARGETS_READY,
        failed ? Reasons.TARGET_FAILED : Reasons.PROVISIONING,
        "Not ready: " + describe(notReady) + ".");
  }

  private static Desired publishedCondition(ModelEndpoint endpoint, Report report) {
    String name = endpoint.getMetadata().getName();
    String secret = PublishedNames.endpointSecret(name);
    if (report.publication().secretData().isEmpty()) {
      return Desired.isFalse(
          ConditionTypes.ENDPOINT_PUBLISHED,
          Reasons.AWAITING_TARGETS,
          "Secret " + secret + " is published once a target is ready to serve directly.");
    }
    if (EndpointAssessment.mode(endpoint.getSpec()) == EndpointMode.Gateway) {
      return Desired.isTrue(
          ConditionTypes.ENDPOINT_PUBLISHED,
          Reasons.PUBLISHED,
          "Service "
              + name
              + " leads to the Crosswind gateway, and Secret "
              + secret
              + " carries its URL and this endpoint's key.");
    }
    return Desired.isTrue(
        ConditionTypes.ENDPOINT_PUBLISHED,
        Reasons.PUBLISHED,
        "Secret "
            + secret
            + " carries the URL, key and model of "
            + report.selection().active().orElse("?")
            + " (Direct mode); it is rewritten on failover.");
  }

  private static Desired degradedCondition(Report report) {
    Selection selection = report.selection();
    if (selection.active().isEmpty()) {
      return Desired.isFalse(
          ConditionTypes.DEGRADED,
          Reasons.NOT_SERVING,
          "The endpoint serves no traffic yet, so it is not serving from a fallback.");
    }
    String active = selection.active().get();
    HealthFact health = report.health().getOrDefault(active, HealthFact.UNKNOWN);
    if (health.health() == TargetHealth.Unhealthy || health.health() == TargetHealth.Throttled) {
      return Desired.isTrue(
          ConditionTypes.DEGRADED,
          Reasons.ACTIVE_TARGET_UNHEALTHY,
          "The active target "
              + active
              + " is "
              + health.health()
              + " and no better target can take over"
              + (health.message() == null || health.message().isBlank()
                  ? "."
                  : ": " + health.message()));
    }
    if (!selection.preferred()) {
      return Desired.isTrue(
          ConditionTypes.DEGRADED,
          Reasons.SERVING_FROM_FALLBACK,
          capitalize(selection.why()) + ".");
    }
    return Desired.isFalse(
        ConditionTypes.DEGRADED,
        Reasons.AS_PREFERRED,
        "Traffic goes to " + active + ", the policy's first choice.");
  }

  private static TargetStatus targetStatus(TargetOutcome outcome, Report report) {
    TargetObservation o = outcome.observation();
    TargetStatus status = new TargetStatus();
    status.setName(outcome.name());
    status.setProvider(outcome.provider());
    status.setResourceId(o.resourceId());
    status.setState(o.state());
    status.setReason(o.reason());
    HealthFact health = report.health().getOrDefault(outcome.name(), HealthFact.UNKNOWN);
    boolean failing =
        health.health() == TargetHealth.Unhealthy || health.health() == TargetHealth.Throttled;
    // For a target that is provisioned but failing, what the probes (or the gateway's circuits)
    // saw; otherwise the cloud side's word.
    status.setMessage(
        failing && o.state() == TargetState.Ready && health.message() != null
            ? health.message()
            : o.message() == null ? "" : o.message());
    status.setHealth(health.health());
    if (health.changedAt() != null) {
      status.setLastProbeTime(Conditions.timestamp(health.changedAt()));
    }
    TargetDetails details = o.details();
    status.setModelVersion(details.modelVersion());
    status.setRateLimits(details.rateLimits().isEmpty() ? null : details.rateLimits());
    status.setModelLifecycle(details.modelLifecycle());
    if (details.commitmentEndsAt() != null) {
      status.setCommitmentEndsAt(Conditions.timestamp(details.commitmentEndsAt()));
    }
    report
        .publication()
        .routeTable()
        .route(outcome.name())
        .map(r -> r.credential())
        .ifPresent(c -> status.setCredentials(credentials(c)));
    return status;
  }

  private static TargetCredentialsStatus credentials(RouteCredential c) {
    TargetCredentialsStatus status = new TargetCredentialsStatus();
    status.setName(c.name());
    status.setPublishedAt(c.publishedAt() == null ? null : trim(c.publishedAt()));
    status.setExpiresAt(c.expiresAt() == null ? null : trim(c.expiresAt()));
    status.setRotatedFor(c.rotatedFor());
    return status;
  }

  private static String trim(String instant) {
    return Conditions.timestamp(Instant.parse(instant));
  }

  private static String describe(List<TargetOutcome> outcomes) {
    return outcomes.stream()
        .map(
            o ->
                o.name() + " is " + o.observation().state() + " (" + o.observation().reason() + ")")
        .collect(Collectors.joining(", "));
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** The status while deletion waits on targets whose cloud resources are not gone yet. */
  public static ModelEndpointStatus deleting(
      ModelEndpoint endpoint, List<TargetOutcome> pending, Instant now) {
    return DeletionStatus.of(endpoint, pending, now);
  }

  /**
   * The status after a reconcile failed with an exception the operator did not expect: Ready turns
   * False with {@code ReconcileError} and the exception's kind (never its message, which may quote
   * a cloud's answer); everything else stays as the last reconcile left it.
   */
  public static ModelEndpointStatus failed(ModelEndpoint endpoint, Exception e, Instant now) {
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
                PublishRefused.in(e)
                    .map(
                        taken ->
                            Desired.isFalse(
                                ConditionTypes.READY, taken.reason(), taken.getMessage()))
                    .orElseGet(
                        () ->
                            Desired.isFalse(
                                ConditionTypes.READY,
                                Reasons.RECONCILE_ERROR,
                                "The operator could not reconcile this endpoint ("
                                    + e.getClass().getSimpleName()
                                    + "); it retries with backoff and its log has the details."))),
            generation(endpoint),
            now);
    ModelEndpointStatus next = new ModelEndpointStatus();
    next.setObservedGeneration(status.getObservedGeneration());
    next.setActiveTarget(status.getActiveTarget());
    next.setEndpoint(status.getEndpoint());
    next.setTargets(status.getTargets());
    next.setTargetsReady(status.getTargetsReady());
    next.setConditions(java.util.stream.Stream.concat(ready.stream(), others.stream()).toList());
    return next;
  }

  static long generation(ModelEndpoint endpoint) {
    Long generation = endpoint.getMetadata().getGeneration();
    return generation == null ? 0L : generation;
  }
}
