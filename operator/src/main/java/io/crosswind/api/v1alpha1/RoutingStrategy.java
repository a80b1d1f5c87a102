package io.crosswind.api.v1alpha1;

/** How a RoutingPolicy spreads traffic over targets. */
public enum RoutingStrategy {
  /** All traffic to the first eligible target by priority. */
  Failover,
  /** Traffic split by weight over the eligible targets (needs the gateway). */
  Weighted
}
