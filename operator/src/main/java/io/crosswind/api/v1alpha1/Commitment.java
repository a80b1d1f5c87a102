package io.crosswind.api.v1alpha1;

/** The commitment term of Bedrock provisioned throughput. */
public enum Commitment {
  None,
  OneMonth,
  SixMonths
}
