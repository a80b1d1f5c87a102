package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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
        && Objects.equals(message, that.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, provider, resourceId, state, health, lastProbeTime, message);
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
        + "}";
  }
}
