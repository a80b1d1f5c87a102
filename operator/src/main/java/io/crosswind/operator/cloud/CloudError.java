package io.crosswind.operator.cloud;

import java.time.Duration;
import java.util.Set;

/**
 * A cloud failure as users see it: a reason from docs/status.md, the provider's message with its
 * request id, and when retrying can help (null when only a change of the spec can).
 */
public record CloudError(String reason, String message, Duration retryAfter) {

  /**
   * Reasons that say the cloud's management API is briefly unavailable, not that the target's data
   * plane is: a target that was serving keeps serving through them.
   */
  public static final Set<String> TRANSIENT = Set.of("Throttled", "CloudUnavailable", "Paced");
}
