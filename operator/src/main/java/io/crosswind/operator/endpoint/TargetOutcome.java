package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.Provider;
import io.crosswind.api.v1alpha1.Target;
import io.crosswind.operator.cloud.TargetObservation;

/**
 * One target after this reconcile's cloud step.
 *
 * @param target the target's spec (for a target removed from the endpoint, its last known spec)
 * @param provider its cloud
 * @param observation what the provider found and did
 * @param removed true for a target no longer in the endpoint's spec, being cleaned up
 */
public record TargetOutcome(
    Target target, Provider provider, TargetObservation observation, boolean removed) {

  public String name() {
    return target.getName();
  }
}
