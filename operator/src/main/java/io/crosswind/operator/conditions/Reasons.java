package io.crosswind.operator.conditions;

/**
 * Every reason the operator writes into a condition or an event: a fixed list, documented in {@code
 * docs/status.md}. A test keeps the two in step.
 */
public final class Reasons {
  // ModelEndpoint
  public static final String SERVING = "Serving";
  public static final String PROVISIONING = "Provisioning";
  public static final String ALL_TARGETS_READY = "AllTargetsReady";
  public static final String TARGET_FAILED = "TargetFailed";
  public static final String PUBLISHED = "Published";
  public static final String AS_PREFERRED = "AsPreferred";
  public static final String SERVING_FROM_FALLBACK = "ServingFromFallback";
  public static final String ACTIVE_TARGET_UNHEALTHY = "ActiveTargetUnhealthy";
  public static final String FAILED_OVER = "FailedOver";
  public static final String FAILED_BACK = "FailedBack";
  public static final String PINNED = "Pinned";
  public static final String DELETING = "Deleting";
  public static final String DELETION_BLOCKED = "DeletionBlocked";
  public static final String DIRECT_MODE_UNSUPPORTED = "DirectModeUnsupported";
  public static final String ROUTING_POLICY_NOT_FOUND = "RoutingPolicyNotFound";
  public static final String ROUTING_POLICY_NOT_ACCEPTED = "RoutingPolicyNotAccepted";
  public static final String WEIGHTED_NEEDS_GATEWAY = "WeightedNeedsGateway";
  public static final String NO_ELIGIBLE_TARGET = "NoEligibleTarget";
  public static final String AWAITING_TARGETS = "AwaitingTargets";
  public static final String NOT_SERVING = "NotServing";
  public static final String RECONCILE_ERROR = "ReconcileError";
  public static final String NAME_TAKEN = "NameTaken";
  public static final String PUBLISH_FORBIDDEN = "PublishForbidden";
  // Events of a credential rotation; an account key's rotation concerns every endpoint using it.
  public static final String CREDENTIALS_ROTATING = "CredentialsRotating";
  public static final String CREDENTIALS_ROTATED = "CredentialsRotated";
  public static final String CREDENTIALS_SWITCHED = "CredentialsSwitched";
  // RoutingPolicy
  public static final String VALID = "Valid";
  public static final String INVALID = "Invalid";

  private Reasons() {}
}
