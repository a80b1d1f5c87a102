package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/** The desired state of a ModelEndpoint. */
@ValidationRule(
    value = "self.targets.all(t, self.targets.filter(u, u.name == t.name).size() == 1)",
    message = "target names must be unique within the endpoint",
    fieldPath = ".targets")
@ValidationRule(
    value =
        "self.targets.all(t, oldSelf.targets.all(o, o.name != t.name"
            + " || (has(o.azure) == has(t.azure)"
            + " && (!has(t.azure)"
            + " || ((has(o.azure.subscriptionId) ? o.azure.subscriptionId : '')"
            + " == (has(t.azure.subscriptionId) ? t.azure.subscriptionId : '')"
            + " && o.azure.resourceGroup == t.azure.resourceGroup"
            + " && o.azure.account.name == t.azure.account.name"
            + " && (has(o.azure.deployment.name) ? o.azure.deployment.name : '')"
            + " == (has(t.azure.deployment.name) ? t.azure.deployment.name : '')))"
            + " && (!has(t.bedrock)"
            + " || (o.bedrock.region == t.bedrock.region"
            + " && (has(o.bedrock.roleArn) ? o.bedrock.roleArn : '')"
            + " == (has(t.bedrock.roleArn) ? t.bedrock.roleArn : ''))))))",
    message =
        "a target's cloud, Azure subscriptionId, resourceGroup, account.name and deployment.name,"
            + " and Bedrock region and roleArn cannot change; add a target with a new name and"
            + " remove this one (Crosswind then cleans up the old one as deletionPolicy says)",
    fieldPath = ".targets")
@JsonClassDescription("The desired state of a ModelEndpoint.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelEndpointSpec {
  @JsonPropertyDescription(
      "The logical model name that applications send as \"model\", for example gpt-5.4; the gateway maps it to each target's model or deployment.")
  @Required
  @Size(min = 1, max = 128)
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._:/-]*$")
  private String model;

  @JsonPropertyDescription(
      "The RoutingPolicy in this namespace that chooses among the targets; without it, traffic fails over in the order the targets are listed.")
  private PolicyReference routingPolicyRef;

  @JsonPropertyDescription(
      "The cloud targets that can serve the model, in order of preference when no policy says otherwise.")
  @Required
  @Size(min = 1, max = 8)
  private List<Target> targets;

  @JsonPropertyDescription("How applications reach the model.")
  private EndpointConfig endpoint;

  @JsonPropertyDescription(
      "What happens to the cloud resources Crosswind created when the endpoint is deleted: Delete removes them, Retain leaves them in place.")
  @Default("Delete")
  private DeletionPolicy deletionPolicy;

  public String getModel() {
    return model;
  }

  public void setModel(String model) {
    this.model = model;
  }

  public PolicyReference getRoutingPolicyRef() {
    return routingPolicyRef;
  }

  public void setRoutingPolicyRef(PolicyReference routingPolicyRef) {
    this.routingPolicyRef = routingPolicyRef;
  }

  public List<Target> getTargets() {
    return targets;
  }

  public void setTargets(List<Target> targets) {
    this.targets = targets;
  }

  public EndpointConfig getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(EndpointConfig endpoint) {
    this.endpoint = endpoint;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ModelEndpointSpec that)) {
      return false;
    }
    return Objects.equals(model, that.model)
        && Objects.equals(routingPolicyRef, that.routingPolicyRef)
        && Objects.equals(targets, that.targets)
        && Objects.equals(endpoint, that.endpoint)
        && Objects.equals(deletionPolicy, that.deletionPolicy);
  }

  @Override
  public int hashCode() {
    return Objects.hash(model, routingPolicyRef, targets, endpoint, deletionPolicy);
  }

  @Override
  public String toString() {
    return "ModelEndpointSpec{"
        + "model="
        + model
        + ", "
        + "routingPolicyRef="
        + routingPolicyRef
        + ", "
        + "targets="
        + targets
        + ", "
        + "endpoint="
        + endpoint
        + ", "
        + "deletionPolicy="
        + deletionPolicy
        + "}";
  }
}
