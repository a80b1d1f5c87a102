package io.crosswind.api.v1alpha1;

/** A target condition that makes the policy move traffic away from it. */
public enum FailoverTrigger {
  Unhealthy,
  Throttled,
  NotReady
}
