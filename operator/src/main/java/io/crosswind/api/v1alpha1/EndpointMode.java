package io.crosswind.api.v1alpha1;

/** How applications reach the active target. */
public enum EndpointMode {
  /** The Service fronts the Crosswind gateway, which holds the cloud credentials. */
  Gateway,
  /** The endpoint Secret carries the active cloud's own URL and key. */
  Direct
}
