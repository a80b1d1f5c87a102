package io.crosswind.gateway.upstream;

import io.crosswind.gateway.upstream.AttemptFailure.ConnectionFailed;
import io.crosswind.gateway.upstream.AttemptFailure.Refused;
import io.crosswind.gateway.upstream.AttemptFailure.StreamError;
import io.crosswind.gateway.upstream.AttemptFailure.TimedOut;
import io.crosswind.gateway.upstream.AttemptFailure.Unsupported;
import io.crosswind.gateway.upstream.AttemptFailure.UpstreamStatus;

/**
 * What follows a failed attempt, before the answer's first byte reached the client: whether the
 * request goes on to the next target, whether the failure counts against the target's circuit, and
 * whether the same target is tried again after its {@code Retry-After}.
 */
final class RetryPolicy {

  private RetryPolicy() {}

  /**
   * Connection failures, timeouts, 408, 429 (with or without rate-limit headers), 401, 403 and any
   * 5xx go to the next target, and so does a request the target's API cannot express; a stream
   * exception does on 408, 429 and 5xx. Any other answer (400, 404, 413, ...) is the client's to
   * see: another target would say the same.
   */
  static boolean tryNextTarget(AttemptFailure failure) {
    return switch (failure) {
      case Refused r -> true;
      case TimedOut t -> true;
      case ConnectionFailed c -> true;
      case Unsupported u -> true;
      case UpstreamStatus s -> {
        int status = s.status();
        yield status == 408 || status == 429 || status == 401 || status == 403 || status >= 500;
      }
      case StreamError e -> e.status() == 408 || e.status() == 429 || e.status() >= 500;
    };
  }

  /** Whether the failure counts toward opening the target's circuit. */
  static boolean countsAgainstTarget(AttemptFailure failure) {
    return !(failure instanceof Unsupported) && tryNextTarget(failure);
  }

  /**
   * How long to wait before trying the same target again once no other is left: the 429's {@code
   * Retry-After} when it is within {@code maxMillis} and the time the request has left; -1 for
   * none.
   */
  static long sameTargetAfter(AttemptFailure failure, long maxMillis, long remainingMillis) {
    if (failure instanceof UpstreamStatus s
        && s.retryAfterMillis() >= 0
        && s.retryAfterMillis() <= maxMillis
        && s.retryAfterMillis() < remainingMillis) {
      return Math.max(1, s.retryAfterMillis());
    }
    return -1;
  }
}
