package io.crosswind.operator.cloud;

import java.time.Duration;

/**
 * A cloud failure as users see it: a reason from docs/status.md, the provider's message with its
 * request id, and when retrying can help (null when only a change of the spec can).
 */
public record CloudError(String reason, String message, Duration retryAfter) {}
