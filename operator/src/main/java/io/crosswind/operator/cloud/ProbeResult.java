package io.crosswind.operator.cloud;

import io.crosswind.api.v1alpha1.TargetHealth;
import java.time.Duration;
import java.time.Instant;

/**
 * What one data-plane probe of a target found.
 *
 * @param health Healthy, Throttled (429) or Unhealthy (5xx, timeout, refused connection, refused
 *     credential)
 * @param status the HTTP status, 0 when no answer came
 * @param latency how long the probe took
 * @param message one sentence for status, with the provider's request id where it has one
 * @param at when the probe ran
 */
public record ProbeResult(
    TargetHealth health, int status, Duration latency, String message, Instant at) {}
