package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** The observed state of one target. */
@JsonClassDescription("The observed state of one target.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetStatus {
  @JsonPropertyDescription("The target's name.")
  private String name;

  @JsonPropertyDescription("The cloud that serves the target.")
  private Provider provider;

  @JsonPropertyDescription(
      "The cloud resource that serves the target (an ARN or an Azure resource id).")
  private String resourceId;

  @JsonPropertyDescription(
      "Where the target's cloud-side resources are: Pending, Provisioning, Ready, Failed or Deleting.")
  private TargetState state;

  @JsonPropertyDescription("What the latest probes say: Healthy, Throttled, Unhealthy or Unknown.")
  private TargetHealth health;

  @JsonPropertyDescription("When the target was last probed (RFC 3339).")
  private String lastProbeTime;

  @JsonPropertyDescription("A sentence about the target's state, empty when all is well.")
  private String message;

  @JsonPropertyDescription(
      "Why the target is in its state, as one CamelCase word from docs/status.md (for example Provisioned, QuotaExceeded, NotOwned).")
  private String reason;

  @JsonPropertyDescription(
      "The model version the cloud serves for this target, as the cloud reports it.")
  private String modelVersion;

  @JsonPropertyDescription(
      "The rate limits the cloud reports for the deployment, as key=count/period, for example requests=100/60s.")
  private List<String> rateLimits;

  @JsonPropertyDescription(
      "The model's lifecycle status as the cloud reports it (Bedrock: ACTIVE or LEGACY).")
  private String modelLifecycle;

  @JsonPropertyDescription(
      "When the provisioned throughput's commitment term ends (RFC 3339); the resource cannot be deleted before.")
  private String commitmentEndsAt;

  @JsonPropertyDescription(
      "Which cloud credential is published for this target, without its value.")
  private TargetCredentialsStatus credentials;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Provider getProvider() {
    return provider;
  }

  public void setProvider(Provider provider) {
    this.provider = provider;
  }

  public String getResourceId() {
    return resourceId;
  }

  public void setResourceId(String resourceId) {
    this.resourceId = resourceId;
  }

  public TargetState getState() {
    return state;
  }

  public void setState(TargetState state) {
    this.state = state;
  }

  public TargetHealth getHealth() {
    return health;
  }

  public void setHealth(TargetHealth health) {
    this.health = health;
  }

  public String getLastProbeTime() {
    return lastProbeTime;
  }

  public void setLastProbeTime(String lastProbeTime) {
    this.lastProbeTime = lastProbeTime;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getModelVersion() {
    return modelVersion;
  }

  public void setModelVersion(String modelVersion) {
    this.modelVersion = modelVersion;
  }

  public List<String> getRateLimits() {
    return rateLimits;
  }

  public void setRateLimits(List<String> rateLimits) {
    this.rateLimits = rateLimits;
  }

  public String getModelLifecycle() {
    return modelLifecycle;
  }

  public void setModelLifecycle(String modelLifecycle) {
    this.modelLifecycle = modelLifecycle;
  }

  public String getCommitmentEndsAt() {
    return commitmentEndsAt;
  }

  public void setCommitmentEndsAt(String commitmentEndsAt) {
    this.commitmentEndsAt = commitmentEndsAt;
  }

  public TargetCredentialsStatus getCredentials() {
    return credentials;
  }

  public void setCredentials(TargetCredentialsStatus credentials) {
    this.credentials = credentials;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TargetStatus that)) {
      return false;
    }
    return Objects.equals(name, that.name)
        && Objects.equals(provider, that.provider)
        && Objects.equals(resourceId, that.resourceId)
        && Objects.equals(state, that.state)
        && Objects.equals(health, that.health)
        && Objects.equals(lastProbeTime, that.lastProbeTime)
        && Objects.equals(message, that.message)
        && Objects.equals(reason, that.reason)
        && Objects.equals(modelVersion, that.modelVersion)
        && Objects.equals(rateLimits, that.rateLimits)
        && Objects.equals(modelLifecycle, that.modelLifecycle)
        && Objects.equals(commitmentEndsAt, that.commitmentEndsAt)
        && Objects.equals(credentials, that.credentials);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        name,
        provider,
        resourceId,
        state,
        health,
        lastProbeTime,
        message,
        reason,
        modelVersion,
        rateLimits,
        modelLifecycle,
        commitmentEndsAt,
        credentials);
  }

  @Override
  public String toString() {
    return "TargetStatus{"
        + "name="
        + name
        + ", "
        + "provider="
        + provider
        + ", "
        + "resourceId="
        + resourceId
        + ", "
        + "state="
        + state
        + ", "
        + "health="
        + health
        + ", "
        + "lastProbeTime="
        + lastProbeTime
        + ", "
        + "message="
        + message
        + ", reason="
        + reason
        + ", modelVersion="
        + modelVersion
        + ", rateLimits="
        + rateLimits
        + ", modelLifecycle="
        + modelLifecycle
        + ", commitmentEndsAt="
        + commitmentEndsAt
        + ", credentials="
        + credentials
        + "}";
  }
}
