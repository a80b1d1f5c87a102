package io.crosswind.operator.cloud;

import io.crosswind.api.v1alpha1.Provider;

/**
 * One cloud behind a small interface: make the target's cloud resources match the spec, say where
 * they are, and remove what Crosswind made. Implementations never block on a long-running
 * operation: they start it and answer {@code Provisioning} with a time to look again.
 */
public interface TargetProvider {

  Provider provider();

  /** Creates or corrects the target's resources and observes them; idempotent. */
  TargetObservation reconcile(TargetRequest request);

  /**
   * Deletes what Crosswind made for the target (never what it does not own); an observation in
   * state {@code Deleting} with a recheck time means "not done yet".
   */
  TargetObservation delete(TargetRequest request);
}
