package io.crosswind.gateway.upstream;

import java.time.Duration;

/**
 * How hard the gateway tries before the first byte of an answer reaches the client.
 *
 * @param maxAttempts attempts per request, across targets and retries of one target
 * @param connectTimeout to open a connection to an upstream
 * @param firstByteTimeout from sending to an upstream to its answer's headers, per attempt
 * @param deadline for all attempts of a request, until the answer starts
 * @param maxRetryAfter the longest {@code Retry-After} the gateway waits out to try the same target
 *     again when no other is left
 * @param streamIdleTimeout the longest silence of an upstream while its answer streams
 */
public record ForwardingSettings(
    int maxAttempts,
    Duration connectTimeout,
    Duration firstByteTimeout,
    Duration deadline,
    Duration maxRetryAfter,
    Duration streamIdleTimeout) {

  public static ForwardingSettings defaults() {
    return new ForwardingSettings(
        3,
        Duration.ofSeconds(2),
        Duration.ofSeconds(120),
        Duration.ofSeconds(180),
        Duration.ofSeconds(2),
        Duration.ofSeconds(300));
  }

  public ForwardingSettings withFirstByteTimeout(Duration timeout) {
    return new ForwardingSettings(
        maxAttempts, connectTimeout, timeout, deadline, maxRetryAfter, streamIdleTimeout);
  }
}
