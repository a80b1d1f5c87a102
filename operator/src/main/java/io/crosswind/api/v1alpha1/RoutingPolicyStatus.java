package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** The observed state of a RoutingPolicy. */
@JsonClassDescription("The observed state of a RoutingPolicy.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RoutingPolicyStatus {
  @JsonPropertyDescription("The generation of the spec that this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("The number of ModelEndpoints in this namespace that use this policy.")
  private Integer endpoints;

  @JsonPropertyDescription("Accepted says whether the policy is valid, and if not, what is wrong.")
  private List<Condition> conditions;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Integer getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(Integer endpoints) {
    this.endpoints = endpoints;
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
    if (!(o instanceof RoutingPolicyStatus that)) {
      return false;
    }
    return Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(endpoints, that.endpoints)
        && Objects.equals(conditions, that.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, endpoints, conditions);
  }

  @Override
  public String toString() {
    return "RoutingPolicyStatus{"
        + "observedGeneration="
        + observedGeneration
        + ", "
        + "endpoints="
        + endpoints
        + ", "
        + "conditions="
        + conditions
        + "}";
  }
}
