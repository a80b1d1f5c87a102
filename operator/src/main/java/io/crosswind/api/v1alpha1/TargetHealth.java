package io.crosswind.api.v1alpha1;

/** What the latest probes say about a target. */
public enum TargetHealth {
  Healthy,
  Throttled,
  Unhealthy,
  Unknown
}
