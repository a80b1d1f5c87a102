package io.crosswind.simulators.core;

import java.time.Duration;
import java.util.Objects;

/**
 * One injected fault: what goes wrong, for which service and scope (a region, account, deployment
 * or model; {@code *} for all), and how often.
 *
 * @param service the simulated service
 * @param scope the region, account, deployment or model it applies to, or {@code *}
 * @param kind what goes wrong
 * @param fraction how many of the matching requests it hits, from 0 to 1; deterministic: 0.25 hits
 *     the first of every four requests
 * @param status the HTTP status for {@link Kind#ERROR} and {@link Kind#OUTAGE_503}; for {@link
 *     Kind#STREAM_ERROR}, how many events go out before the exception
 * @param delay the latency to add, the Retry-After to send, or how long a long-running operation
 *     takes
 */
public record Fault(
    Service service, String scope, Kind kind, double fraction, int status, Duration delay) {

  /** The kinds of faults. */
  public enum Kind {
    /** The service answers nothing: connections are closed before any response. */
    OUTAGE_REFUSE,
    /** The service answers 503 Service Unavailable. */
    OUTAGE_503,
    /** 429 Too Many Requests with Retry-After (and retry-after-ms on Azure OpenAI). */
    THROTTLE,
    /** Added latency before the answer. */
    LATENCY,
    /** A 5xx error. */
    ERROR,
    /** Long-running operations take {@code delay} before they finish. */
    SLOW_OPERATION,
    /** Long-running operations end Failed. */
    FAILED_OPERATION,
    /**
     * A Bedrock ConverseStream answers 200 and then, after {@code status} events, sends a {@code
     * throttlingException} event and ends, as Bedrock does when a stream is cut short.
     */
    STREAM_ERROR
  }

  public Fault {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(kind, "kind");
    scope = scope == null || scope.isBlank() ? "*" : scope;
    if (fraction < 0 || fraction > 1) {
      throw new IllegalArgumentException("fraction must be between 0 and 1, not " + fraction);
    }
    delay = delay == null ? Duration.ZERO : delay;
  }

  public static Fault outage(Service service, String scope) {
    return new Fault(service, scope, Kind.OUTAGE_503, 1, 503, Duration.ZERO);
  }

  public static Fault refuse(Service service, String scope) {
    return new Fault(service, scope, Kind.OUTAGE_REFUSE, 1, 0, Duration.ZERO);
  }

  public static Fault throttle(
      Service service, String scope, double fraction, Duration retryAfter) {
    return new Fault(service, scope, Kind.THROTTLE, fraction, 429, retryAfter);
  }

  public static Fault latency(Service service, String scope, Duration latency) {
    return new Fault(service, scope, Kind.LATENCY, 1, 0, latency);
  }

  public static Fault error(Service service, String scope, double fraction, int status) {
    return new Fault(service, scope, Kind.ERROR, fraction, status, Duration.ZERO);
  }

  public static Fault slowOperations(Service service, String scope, Duration takes) {
    return new Fault(service, scope, Kind.SLOW_OPERATION, 1, 0, takes);
  }

  public static Fault failedOperations(Service service, String scope) {
    return new Fault(service, scope, Kind.FAILED_OPERATION, 1, 0, Duration.ZERO);
  }

  /** ConverseStream sends {@code afterEvents} events, then a throttlingException event. */
  public static Fault streamError(Service service, String scope, int afterEvents) {
    return new Fault(service, scope, Kind.STREAM_ERROR, 1, afterEvents, Duration.ZERO);
  }

  boolean matches(Service s, String requestScope) {
    return service == s && ("*".equals(scope) || scope.equals(requestScope));
  }
}
