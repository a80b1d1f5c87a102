package io.crosswind.operator.cloud;

import io.crosswind.api.v1alpha1.TargetState;
import java.time.Duration;
import java.util.List;

/**
 * What a provider found and did for one target in one reconcile.
 *
 * @param state where the target's cloud resources are
 * @param reason a CamelCase reason from docs/status.md
 * @param message one sentence for a person, with the provider's request id where it has one
 * @param resourceId the cloud resource that serves the target, once known
 * @param recheckAfter when to look again (a long-running operation, a retry, a credential to
 *     renew); null when steady
 * @param details facts for status, such as the rate limits the cloud reports
 * @param events decisions worth an event on the ModelEndpoint, such as a corrected drift
 * @param upstream where the target answers, once it is Ready
 * @param credential the credential to publish for the target: the request's own when nothing
 *     changed, a new one after a fetch or a rotation; null when the provider has none (yet)
 */
public record TargetObservation(
    TargetState state,
    String reason,
    String message,
    String resourceId,
    Duration recheckAfter,
    TargetDetails details,
    List<CloudEvent> events,
    Upstream upstream,
    Credential credential) {

  /** An event a provider asks the reconciler to record. */
  public record CloudEvent(boolean warning, String reason, String message) {}

  public TargetObservation {
    details = details == null ? TargetDetails.NONE : details;
    events = events == null ? List.of() : List.copyOf(events);
  }

  public static TargetObservation ready(
      String resourceId, String message, TargetDetails details, List<CloudEvent> events) {
    return new TargetObservation(
        TargetState.Ready, "Provisioned", message, resourceId, null, details, events, null, null);
  }

  public static TargetObservation provisioning(
      String resourceId,
      String reason,
      String message,
      Duration recheckAfter,
      List<CloudEvent> events) {
    return new TargetObservation(
        TargetState.Provisioning,
        reason,
        message,
        resourceId,
        recheckAfter,
        null,
        events,
        null,
        null);
  }

  public static TargetObservation failed(CloudError error, String resourceId) {
    return new TargetObservation(
        TargetState.Failed,
        error.reason(),
        error.message(),
        resourceId,
        error.retryAfter(),
        null,
        null,
        null,
        null);
  }

  public static TargetObservation deleting(
      String reason, String message, String resourceId, Duration recheckAfter) {
    return new TargetObservation(
        TargetState.Deleting, reason, message, resourceId, recheckAfter, null, null, null, null);
  }

  /** Deletion is complete: nothing of the target's is left that Crosswind may remove. */
  public boolean deleted() {
    return state == TargetState.Deleting && recheckAfter == null;
  }

  /** This observation with where the target answers and the credential to publish. */
  public TargetObservation serving(Upstream where, Credential with) {
    return new TargetObservation(
        state, reason, message, resourceId, recheckAfter, details, events, where, with);
  }

  /** This observation, to be looked at again no later than {@code after}. */
  public TargetObservation recheckWithin(Duration after) {
    Duration next =
        after == null || (recheckAfter != null && recheckAfter.compareTo(after) <= 0)
            ? recheckAfter
            : after;
    return new TargetObservation(
        state, reason, message, resourceId, next, details, events, upstream, credential);
  }

  /** This observation with more events. */
  public TargetObservation withEvents(List<CloudEvent> more) {
    List<CloudEvent> all = new java.util.ArrayList<>(events);
    all.addAll(more);
    return new TargetObservation(
        state, reason, message, resourceId, recheckAfter, details, all, upstream, credential);
  }
}
