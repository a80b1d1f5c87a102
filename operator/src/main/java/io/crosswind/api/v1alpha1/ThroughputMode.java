package io.crosswind.api.v1alpha1;

/** How Bedrock capacity is bought for a target. */
public enum ThroughputMode {
  /** An application inference profile over on-demand capacity, tagged for cost allocation. */
  OnDemand,
  /** Provisioned model throughput: reserved model units. */
  Provisioned
}
