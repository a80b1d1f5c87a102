package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.ModelEndpointStatus;
import io.crosswind.operator.cloud.TargetObservation.CloudEvent;
import io.crosswind.operator.conditions.ConditionTypes;
import io.crosswind.operator.conditions.Conditions;
import io.crosswind.operator.conditions.Reasons;
import io.crosswind.operator.events.EventRecorder;
import io.crosswind.operator.publish.PublishedTable;
import io.crosswind.operator.routing.ActiveTargetDecision;
import io.crosswind.operator.routing.ActiveTargetDecision.Selection;
import io.crosswind.operator.routing.RoutingMetrics;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * What a reconcile tells people and Prometheus: the providers' events, each switch of the active
 * target (FailedOver, FailedBack, Pinned) with its metric, the active-target gauge, and each change
 * of Ready.
 */
final class EndpointEvents {

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

  void recordEvents(
      ModelEndpoint endpoint,
      List<TargetOutcome> outcomes,
      PublishedTable previous,
      Selection selection,
      ModelEndpointStatus status) {
    for (TargetOutcome o : outcomes) {
      for (CloudEvent e : o.observation().events()) {
        String message = o.name() + ": " + e.message();
        if (e.warning()) {
          events.warning(endpoint, e.reason(), message);
        } else {
          events.normal(endpoint, e.reason(), message);
        }
      }
    }
    recordSwitch(endpoint, previous.active(), selection);
    metrics.active(
        endpoint.getMetadata().getNamespace(),
        endpoint.getMetadata().getName(),
        outcomes.stream().filter(o -> !o.removed()).map(TargetOutcome::name).toList(),
        selection.active().orElse(""));
    recordReadyChange(endpoint, status);
  }

  /**
   * An event and a metric for every switch of the active target: failed over (a warning, with the
   * failed probes that caused it), failed back, or moved by a pin.
   */
  private void recordSwitch(ModelEndpoint endpoint, String before, Selection selection) {
    String after = selection.active().orElse(null);
    if (before == null || after == null || before.equals(after)) {
      return;
    }
    String kind;
    String message;
    if (selection.cause() == ActiveTargetDecision.Cause.PINNED) {
      kind = Reasons.PINNED;
      message = "Traffic moved from " + before + " to " + after + ": pinned by the policy.";
    } else if (rankOf(selection, after) < rankOf(selection, before)) {
      kind = Reasons.FAILED_BACK;
      message = "Traffic returned from " + before + " to " + after + ": " + selection.why() + ".";
    } else {
      kind = Reasons.FAILED_OVER;
      message =
          "Traffic moved from "
              + before
              + " to "
              + after
              + evidence.apply(endpoint, before)
              + ": "
              + selection.why()
              + ".";
    }
    if (Reasons.FAILED_OVER.equals(kind)) {
      events.warning(endpoint, kind, message);
    } else {
      events.normal(endpoint, kind, message);
    }
    metrics.switched(
        endpoint.getMetadata().getNamespace(),
        endpoint.getMetadata().getName(),
        before,
        after,
        kind);
  }

  private static int rankOf(Selection selection, String target) {
    for (int i = 0; i < selection.ranked().size(); i++) {
      if (selection.ranked().get(i).candidate().name().equals(target)) {
        return i;
      }
    }
    return Integer.MAX_VALUE;
  }

  void recordReadyChange(ModelEndpoint endpoint, ModelEndpointStatus next) {
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
        || Reasons.PROVISIONING.equals(after.getReason())) {
      events.normal(endpoint, after.getReason(), after.getMessage());
    } else {
      events.warning(endpoint, after.getReason(), after.getMessage());
    }
  }
}
