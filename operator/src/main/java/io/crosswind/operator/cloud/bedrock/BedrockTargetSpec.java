package io.crosswind.operator.cloud.bedrock;

import io.crosswind.api.v1alpha1.BedrockTarget;
import io.crosswind.api.v1alpha1.BedrockThroughput;
import io.crosswind.api.v1alpha1.Commitment;
import io.crosswind.api.v1alpha1.ThroughputMode;
import io.crosswind.operator.cloud.Hashes;
import io.crosswind.operator.cloud.Owner;

/**
 * What a Bedrock target asks for, decided from the spec alone: the names Crosswind gives its cloud
 * resources and the idempotency tokens it creates them with.
 *
 * @param owner the endpoint the target belongs to
 * @param target the target's name within the endpoint
 * @param modelUnits null unless Provisioned
 * @param commitment null for no commitment
 * @param crossRegion the geography of the system-defined profile to copy, or null
 * @param roleArn the target's role, else the operator's default, else null
 * @param name the application inference profile's or provisioned throughput's name, also the role
 *     session name of the target's keys
 */
record BedrockTargetSpec(
    Owner owner,
    String target,
    String region,
    String modelId,
    ThroughputMode mode,
    Integer modelUnits,
    Commitment commitment,
    String crossRegion,
    String roleArn,
    String name) {

  /** Bedrock allows 64 characters for profile names and 63 for provisioned throughputs. */
  static final int MAX_NAME = 63;

  static BedrockTargetSpec of(
      Owner owner, String targetName, BedrockTarget bedrock, String defaultRoleArn) {
    BedrockThroughput throughput = bedrock.getThroughput();
    ThroughputMode mode =
        throughput == null || throughput.getMode() == null
            ? ThroughputMode.OnDemand
            : throughput.getMode();
    boolean provisioned = mode == ThroughputMode.Provisioned;
    Commitment commitment = throughput == null ? null : throughput.getCommitment();
    return new BedrockTargetSpec(
        owner,
        targetName,
        bedrock.getRegion(),
        bedrock.getModelId(),
        mode,
        provisioned ? throughput.getModelUnits() : null,
        provisioned && commitment != Commitment.None ? commitment : null,
        provisioned ? null : blankToNull(bedrock.getCrossRegion()),
        blankToNull(bedrock.getRoleArn()) != null ? bedrock.getRoleArn() : defaultRoleArn,
        derivedName(owner, targetName));
  }

  boolean provisioned() {
    return mode == ThroughputMode.Provisioned;
  }

  /** The system-defined cross-region profile to copy, {@code <geo>.<modelId>}, or null. */
  String systemProfileId() {
    return crossRegion == null ? null : crossRegion + "." + modelId;
  }

  /**
   * {@code <namespace>-<endpoint>-<target>-<hash>}: letters, digits and single dashes, as both
   * resource kinds allow, cut to 63 characters. The hash of the owner (with its cluster id) and the
   * target keeps two clusters sharing an AWS account apart and never changes.
   */
  static String derivedName(Owner owner, String targetName) {
    String hash = Hashes.sha256(owner.tagValue() + "/" + targetName).substring(0, 8);
    String readable =
        (owner.namespace() + "-" + owner.name() + "-" + targetName)
            .replaceAll("[^A-Za-z0-9]+", "-")
            .replaceAll("^-+", "");
    if (readable.length() > MAX_NAME - hash.length() - 1) {
      readable = readable.substring(0, MAX_NAME - hash.length() - 1);
    }
    readable = readable.replaceAll("-+$", "");
    return readable.isEmpty() ? hash : readable + "-" + hash;
  }

  /** The clientRequestToken of the profile: the same for the same owner, name and source. */
  String profileToken(String copyFrom) {
    return token("profile", name, copyFrom);
  }

  /**
   * The clientRequestToken of the provisioned throughput: the same owner, name, model, units and
   * commitment give the same token, so a retry or a restart never buys twice.
   */
  String throughputToken() {
    return token(
        "throughput",
        name,
        modelId,
        String.valueOf(modelUnits),
        commitment == null ? "None" : commitment.name());
  }

  private String token(String... parts) {
    return Hashes.sha256(owner.identity() + "|" + target + "|" + String.join("|", parts));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
