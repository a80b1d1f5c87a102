package io.crosswind.operator.endpoint;

import io.crosswind.operator.conditions.Reasons;
import java.util.Optional;

/**
 * An object the endpoint publishes cannot be written, for a reason only a person can remove: its
 * name is taken by an object that is not this endpoint's ({@link Reasons#NAME_TAKEN}; Crosswind
 * never takes it over), or the operator may not write there ({@link Reasons#PUBLISH_FORBIDDEN}).
 * The endpoint says so in {@code Ready} and publishes nothing more until it changes.
 */
final class PublishRefused extends RuntimeException {

  private final String reason;

  private PublishRefused(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  static PublishRefused nameTaken(String message) {
    return new PublishRefused(Reasons.NAME_TAKEN, message);
  }

  /** The API server forbade the operator to write {@code kind} in {@code namespace}. */
  static PublishRefused forbidden(String kind, String namespace) {
    return new PublishRefused(
        Reasons.PUBLISH_FORBIDDEN,
        "The operator may not write "
            + kind
            + " in namespace "
            + namespace
            + ". The Helm chart gives it write access only in the namespaces of its grants and"
            + " operator.watchNamespaces: add "
            + namespace
            + " to one of them and upgrade the release, or set rbac.clusterWide=true"
            + " (docs/security.md).");
  }

  /** The refusal a failed reconcile ended in, however JOSDK wrapped it. */
  static Optional<PublishRefused> in(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PublishRefused refused) {
        return Optional.of(refused);
      }
    }
    return Optional.empty();
  }

  String reason() {
    return reason;
  }
}
