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

  /** Hex digits of hash in a derived name: 64 bits. */
  static final int HASH = 16;

  /** Hex digits of hash in a name Crosswind 0.1 derived: 32 bits. */
  static final int LEGACY_HASH = 8;

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
   * resource kinds allow, cut to 63 characters. The hash, 64 bits of the SHA-256 of the owner (with
   * its cluster id) and the target, keeps apart two endpoints whose readable parts meet ({@code
   * team/prod-chat} and {@code team-prod/chat}, or names cut to the same head) and two clusters
   * sharing an AWS account, and never changes. Sixty-four bits put a deliberate collision (a
   * namespace that makes another's name its own, to make the other's target {@code NotOwned})
   * beyond reach.
   */
  static String derivedName(Owner owner, String targetName) {
    return derivedName(owner, targetName, HASH);
  }

  /**
   * The name Crosswind 0.1 derived: the same readable part, but 32 bits of hash. A profile or
   * throughput made under it keeps it for life (a throughput cannot be renamed, and moving a
   * profile changes its ARN under the gateway).
   */
  static String legacyDerivedName(Owner owner, String targetName) {
    return derivedName(owner, targetName, LEGACY_HASH);
  }

  private static String derivedName(Owner owner, String targetName, int hashLength) {
    String hash = Hashes.sha256(owner.tagValue() + "/" + targetName).substring(0, hashLength);
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

  /** The name of the 0.1 scheme, under which this target's resource may already exist. */
  String legacyName() {
    return legacyDerivedName(owner, target);
  }

  /** This spec under the name its existing resource already has. */
  BedrockTargetSpec named(String existing) {
    return existing.equals(name)
        ? this
        : new BedrockTargetSpec(
            owner,
            target,
            region,
            modelId,
            mode,
            modelUnits,
            commitment,
            crossRegion,
            roleArn,
            existing);
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
