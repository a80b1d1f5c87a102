package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** The observed state of a ModelEndpoint. */
@JsonClassDescription("The observed state of a ModelEndpoint.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelEndpointStatus {
  @JsonPropertyDescription("The generation of the spec that this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("The target that serves traffic now; empty while none can.")
  private String activeTarget;

  @JsonPropertyDescription("Where applications find the endpoint.")
  private EndpointAddress endpoint;

  @JsonPropertyDescription("The observed state of each target.")
  private List<TargetStatus> targets;

  @JsonPropertyDescription(
      "How many targets are ready out of all, for example 1/2 (the TARGETS column of kubectl get -o wide).")
  private String targetsReady;

  @JsonPropertyDescription(
      "Ready, TargetsReady, EndpointPublished and Degraded, following the Kubernetes condition conventions.")
  private List<Condition> conditions;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getActiveTarget() {
    return activeTarget;
  }

  public void setActiveTarget(String activeTarget) {
    this.activeTarget = activeTarget;
  }

  public EndpointAddress getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(EndpointAddress endpoint) {
    this.endpoint = endpoint;
  }

  public List<TargetStatus> getTargets() {
    return targets;
  }

  public void setTargets(List<TargetStatus> targets) {
    this.targets = targets;
  }

  public String getTargetsReady() {
    return targetsReady;
  }

  public void setTargetsReady(String targetsReady) {
    this.targetsReady = targetsReady;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ModelEndpointStatus that)) {
      return false;
    }
    return Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(activeTarget, that.activeTarget)
        && Objects.equals(endpoint, that.endpoint)
        && Objects.equals(targets, that.targets)
        && Objects.equals(targetsReady, that.targetsReady)
        && Objects.equals(conditions, that.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration, activeTarget, endpoint, targets, targetsReady, conditions);
  }

  @Override
  public String toString() {
    return "ModelEndpointStatus{"
        + "observedGeneration="
        + observedGeneration
        + ", "
        + "activeTarget="
        + activeTarget
        + ", "
        + "endpoint="
        + endpoint
        + ", "
        + "targets="
        + targets
        + ", "
        + "targetsReady="
        + targetsReady
        + ", "
        + "conditions="
        + conditions
        + "}";
  }
}
