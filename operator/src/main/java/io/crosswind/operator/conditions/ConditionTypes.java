package io.crosswind.operator.conditions;

/** The condition types of the crosswind.io API; {@code docs/status.md} explains each. */
public final class ConditionTypes {
  /** ModelEndpoint: the endpoint serves traffic through some target. */
  public static final String READY = "Ready";

  /** ModelEndpoint: every target is provisioned. */
  public static final String TARGETS_READY = "TargetsReady";

  /** ModelEndpoint: the Service and the endpoint Secret are in place. */
  public static final String ENDPOINT_PUBLISHED = "EndpointPublished";

  /** ModelEndpoint: serving from a target that is not the policy's first choice. */
  public static final String DEGRADED = "Degraded";

  /** RoutingPolicy: the policy is valid. */
  public static final String ACCEPTED = "Accepted";

  private ConditionTypes() {}
}
