package io.crosswind.operator.cloud.bedrock;

import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.operator.cloud.TargetObservation;
import java.time.Instant;
import java.util.List;

/**
 * What the profile or throughput step found for a target.
 *
 * @param observation what to report
 * @param arn the resource that serves the target, once Ready: what clients send as the model
 * @param createdAt when the resource was created, to tell keys minted for a replaced one
 * @param scope the ARNs a key for the target may invoke
 */
record BedrockResource(
    TargetObservation observation, String arn, Instant createdAt, List<String> scope) {

  static BedrockResource notReady(TargetObservation observation) {
    return new BedrockResource(observation, null, null, List.of());
  }

  boolean ready() {
    return observation.state() == TargetState.Ready;
  }
}
