package io.crosswind.operator.cloud;

import io.crosswind.api.v1alpha1.TargetState;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a provider found and did for one target in one reconcile.
 *
 * @param state where the target's cloud resources are
 * @param reason a CamelCase reason from docs/status.md
 * @param message one sentence for a person, with the provider's request id where it has one
 * @param resourceId the cloud resource that serves the target, once known
 * @param recheckAfter when to look again (a long-running operation, a retry); null when steady
 * @param details facts for status, such as the rate limits the cloud reports
 * @param events decisions worth an event on the ModelEndpoint, such as a corrected drift
 */
public record TargetObservation(
    TargetState state,
    String reason,
    String message,
    String resourceId,
    Duration recheckAfter,
    Map<String, String> details,
    List<CloudEvent> events) {

  /** An event a provider asks the reconciler to record. */
  public record CloudEvent(boolean warning, String reason, String message) {}

  public TargetObservation {
    details = details == null ? Map.of() : Map.copyOf(details);
    events = events == null ? List.of() : List.copyOf(events);
  }

  public static TargetObservation ready(
      String resourceId, String message, Map<String, String> details, List<CloudEvent> events) {
    return new TargetObservation(
        TargetState.Ready, "Provisioned", message, resourceId, null, details, events);
  }

  public static TargetObservation provisioning(
      String resourceId,
      String reason,
      String message,
      Duration recheckAfter,
      List<CloudEvent> events) {
    return new TargetObservation(
        TargetState.Provisioning, reason, message, resourceId, recheckAfter, null, events);
  }

  public static TargetObservation failed(CloudError error, String resourceId) {
    return new TargetObservation(
        TargetState.Failed,
        error.reason(),
        error.message(),
        resourceId,
        error.retryAfter(),
        null,
        null);
  }
}
