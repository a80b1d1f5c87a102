package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.ModelEndpointStatus;
import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.operator.cloud.TargetObservation.CloudEvent;
import io.crosswind.operator.conditions.ConditionTypes;
import io.crosswind.operator.conditions.Conditions;
import io.crosswind.operator.conditions.Reasons;
import io.crosswind.operator.events.EventRecorder;
import io.crosswind.operator.routing.ActiveTargetDecision;
import io.crosswind.operator.routing.ActiveTargetDecision.Selection;
import io.crosswind.operator.routing.RoutingMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What a reconcile tells people and Prometheus: the providers' events, each switch of the active
 * target (FailedOver, FailedBack, Pinned) with its metric, the active-target gauge, and each change
 * of Ready. Which events is decided by {@link #decide}, without I/O; {@link #record} sends them.
 */
final class EndpointEvents {

  /** An event of the endpoint: a warning or not, a CamelCase reason, a sentence. */
  record Event(boolean warning, String reason, String message) {}

  private static final Set<String> SWITCHES =
      Set.of(Reasons.FAILED_OVER, Reasons.FAILED_BACK, Reasons.PINNED);

  private final EventRecorder events;
  private final RoutingMetrics metrics;
  private final BiFunction<ModelEndpoint, String, String> evidence;

  /**
   * @param evidence what was seen of a target that traffic left, for FailedOver's message (" after
   *     3 failed probes of x"), or empty
   */
  EndpointEvents(
      EventRecorder events,
      RoutingMetrics metrics,
      BiFunction<ModelEndpoint, String, String> evidence) {
    this.events = events;
    this.metrics = metrics;
    this.evidence = evidence;
  }

  /** Sends the reconcile's events and sets its metrics. */
  void record(
      ModelEndpoint endpoint,
      List<TargetOutcome> outcomes,
      String previousActive,
      Selection selection,
      ModelEndpointStatus status) {
    String namespace = endpoint.getMetadata().getNamespace();
    String name = endpoint.getMetadata().getName();
    for (Event e :
        decide(
            endpoint,
            outcomes,
            previousActive,
            selection,
            status,
            target -> evidence.apply(endpoint, target))) {
      if (e.warning()) {
        events.warning(endpoint, e.reason(), e.message());
      } else {
        events.normal(endpoint, e.reason(), e.message());
      }
      if (SWITCHES.contains(e.reason())) {
        metrics.switched(
            namespace, name, previousActive, selection.active().orElseThrow(), e.reason());
      }
    }
    metrics.active(
        namespace,
        name,
        outcomes.stream().filter(o -> !o.removed()).map(TargetOutcome::name).toList(),
        selection.active().orElse(""));
  }

  /**
   * The events of a deletion that waits on the clouds: progress as Normal events; what a person
   * must act on (a commitment, a cloud error) as Warnings on the endpoint and on the CloudGrant
   * that allows the target, where the platform admin who granted it looks, and in {@code
   * crosswind_deletions_blocked}.
   *
   * @param grantOf the CloudGrant that allows a target, if any
   */
  void deletionWaiting(
      ModelEndpoint endpoint,
      List<TargetOutcome> pending,
      Function<TargetOutcome, Optional<? extends HasMetadata>> grantOf) {
    boolean anyBlocked = false;
    for (TargetOutcome o : pending) {
      String message = o.name() + ": " + o.observation().message();
      if (!blocked(o)) {
        events.normal(endpoint, o.observation().reason(), message);
        continue;
      }
      anyBlocked = true;
      events.warning(endpoint, o.observation().reason(), message);
      grantOf
          .apply(o)
          .ifPresent(
              grant ->
                  events.warning(
                      grant,
                      o.observation().reason(),
                      "ModelEndpoint "
                          + endpoint.getMetadata().getNamespace()
                          + "/"
                          + endpoint.getMetadata().getName()
                          + " was deleted, and its target "
                          + message));
    }
    metrics.deletionBlocked(
        endpoint.getMetadata().getNamespace(), endpoint.getMetadata().getName(), anyBlocked);
  }

  /** The deletion is finished (or its resources retained): nothing waits on a person any more. */
  void deletionDone(ModelEndpoint endpoint) {
    metrics.deletionBlocked(
        endpoint.getMetadata().getNamespace(), endpoint.getMetadata().getName(), false);
  }

  private static boolean blocked(TargetOutcome o) {
    return o.observation().state() != TargetState.Deleting
        || Reasons.DELETION_BLOCKED.equals(o.observation().reason());
  }

  /**
   * The events of one reconcile, in order: what the providers asked to record (each prefixed with
   * its target), a switch of the active target, and a change of Ready's status or reason.
   *
   * @param previousActive the target that was active before, or null
   * @param evidence what was seen of a target traffic left, for FailedOver's message
   */
  static List<Event> decide(
      ModelEndpoint endpoint,
      List<TargetOutcome> outcomes,
      String previousActive,
      Selection selection,
      ModelEndpointStatus status,
      Function<String, String> evidence) {
    List<Event> decided = new ArrayList<>();
    for (TargetOutcome o : outcomes) {
      for (CloudEvent e : o.observation().events()) {
        decided.add(new Event(e.warning(), e.reason(), o.name() + ": " + e.message()));
      }
    }
    activeTargetSwitch(previousActive, selection, evidence).ifPresent(decided::add);
    readyChange(endpoint, status).ifPresent(decided::add);
    return decided;
  }

  /**
   * A switch of the active target: failed over (a warning, with the failed probes that caused it),
   * failed back, or moved by a pin.
   */
  private static Optional<Event> activeTargetSwitch(
      String before, Selection selection, Function<String, String> evidence) {
    String after = selection.active().orElse(null);
    if (before == null || after == null || before.equals(after)) {
      return Optional.empty();
    }
    if (selection.cause() == ActiveTargetDecision.Cause.PINNED) {
      return Optional.of(
          new Event(
              false,
              Reasons.PINNED,
              "Traffic moved from " + before + " to " + after + ": pinned by the policy."));
    }
    if (rankOf(selection, after) < rankOf(selection, before)) {
      return Optional.of(
          new Event(
              false,
              Reasons.FAILED_BACK,
              "Traffic returned from " + before + " to " + after + ": " + selection.why() + "."));
    }
    return Optional.of(
        new Event(
            true,
            Reasons.FAILED_OVER,
            "Traffic moved from "
                + before
                + " to "
                + after
                + evidence.apply(before)
                + ": "
                + selection.why()
                + "."));
  }

  private static int rankOf(Selection selection, String target) {
    for (int i = 0; i < selection.ranked().size(); i++) {
      if (selection.ranked().get(i).candidate().name().equals(target)) {
        return i;
      }
    }
    return Integer.MAX_VALUE;
  }

  /** Ready changed its status or reason: Normal when it serves or provisions, else a warning. */
  private static Optional<Event> readyChange(ModelEndpoint endpoint, ModelEndpointStatus next) {
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
      return Optional.empty();
    }
    boolean normal =
        Conditions.TRUE.equals(after.getStatus()) || Reasons.PROVISIONING.equals(after.getReason());
    return Optional.of(new Event(!normal, after.getReason(), after.getMessage()));
  }
}
