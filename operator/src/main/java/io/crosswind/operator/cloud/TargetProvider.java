package io.crosswind.operator.cloud;

import io.crosswind.api.v1alpha1.Provider;
import java.time.Duration;

/**
 * One cloud behind a small interface: make the target's cloud resources match the spec, say where
 * they are and with which credential they answer, probe them, and remove what Crosswind made.
 * Implementations never block on a long-running operation: they start it and answer {@code
 * Provisioning} with a time to look again.
 */
public interface TargetProvider {

  Provider provider();

  /**
   * Creates or corrects the target's resources and observes them; idempotent. Once the target is
   * Ready, the observation carries its {@link Upstream} and the {@link Credential} to publish: the
   * request's published one while it is good, else a fresh one (first fetch, renewal before expiry,
   * or one step of a rotation that never leaves the published credential invalid).
   */
  TargetObservation reconcile(TargetRequest request);

  /**
   * Deletes what Crosswind made for the target (never what it does not own); {@link
   * TargetObservation#deleted()} false with a recheck time means "not done yet".
   */
  TargetObservation delete(TargetRequest request);

  /** One cheap data-plane request with the published credential, bounded by {@code timeout}. */
  ProbeResult probe(Upstream upstream, Credential credential, Duration timeout);
}
