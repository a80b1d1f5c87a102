package io.crosswind.operator.conditions;

/**
 * Every reason the operator writes into a condition or an event: a fixed list, documented in {@code
 * docs/status.md}. A test keeps the two in step.
 */
public final class Reasons {
  // ModelEndpoint
  public static final String TARGETS_NOT_IMPLEMENTED = "TargetsNotImplemented";
  public static final String ROUTING_POLICY_NOT_FOUND = "RoutingPolicyNotFound";
  public static final String ROUTING_POLICY_NOT_ACCEPTED = "RoutingPolicyNotAccepted";
  public static final String WEIGHTED_NEEDS_GATEWAY = "WeightedNeedsGateway";
  public static final String NO_ELIGIBLE_TARGET = "NoEligibleTarget";
  public static final String AWAITING_TARGETS = "AwaitingTargets";
  public static final String NOT_SERVING = "NotServing";
  public static final String RECONCILE_ERROR = "ReconcileError";
  // RoutingPolicy
  public static final String VALID = "Valid";
  public static final String INVALID = "Invalid";

  private Reasons() {}
}
