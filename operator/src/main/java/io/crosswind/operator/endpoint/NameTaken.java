package io.crosswind.operator.endpoint;

import io.crosswind.operator.conditions.Reasons;

/**
 * An object the endpoint publishes cannot be created because an object of that name exists that is
 * not this endpoint's. Crosswind never takes it over; the endpoint says so in {@code Ready} and
 * publishes nothing more until the name is free.
 */
final class NameTaken extends RuntimeException {

  NameTaken(String message) {
    super(message, null, false, false);
  }

  /** The NameTaken a failed reconcile ended in, however JOSDK wrapped it. */
  static java.util.Optional<NameTaken> in(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof NameTaken taken) {
        return java.util.Optional.of(taken);
      }
    }
    return java.util.Optional.empty();
  }

  String reason() {
    return Reasons.NAME_TAKEN;
  }
}
