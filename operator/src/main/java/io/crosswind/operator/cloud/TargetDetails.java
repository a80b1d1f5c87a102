package io.crosswind.operator.cloud;

import java.time.Instant;
import java.util.List;

/**
 * Facts a provider reads off the cloud for a target's status; any of them may be null.
 *
 * @param modelVersion the model version the cloud serves
 * @param rateLimits the deployment's limits as the cloud reports them, as {@code key=count/period}
 * @param modelLifecycle the model's lifecycle status (Bedrock: ACTIVE or LEGACY)
 * @param commitmentEndsAt when a provisioned throughput's commitment term ends
 */
public record TargetDetails(
    String modelVersion, List<String> rateLimits, String modelLifecycle, Instant commitmentEndsAt) {

  public static final TargetDetails NONE = new TargetDetails(null, null, null, null);

  public TargetDetails {
    rateLimits = rateLimits == null ? List.of() : List.copyOf(rateLimits);
  }
}
