package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** An Azure OpenAI target: an account and a deployment in it. */
@JsonClassDescription("An Azure OpenAI target: an account and a deployment in it.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AzureTarget {
  @JsonPropertyDescription(
      "The Azure subscription of the account; without it, the operator's default subscription.")
  @Size(max = 36)
  @Pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
  private String subscriptionId;

  @JsonPropertyDescription("The resource group of the account.")
  @Required
  @Size(min = 1, max = 90)
  @Pattern("^[-\\w._()]*[-\\w_()]$")
  private String resourceGroup;

  @JsonPropertyDescription("The Azure AI account (Cognitive Services) that holds the deployment.")
  @Required
  private AzureAccount account;

  @JsonPropertyDescription("The model deployment in the account.")
  @Required
  private AzureDeployment deployment;

  public String getSubscriptionId() {
    return subscriptionId;
  }

  public void setSubscriptionId(String subscriptionId) {
    this.subscriptionId = subscriptionId;
  }

  public String getResourceGroup() {
    return resourceGroup;
  }

  public void setResourceGroup(String resourceGroup) {
    this.resourceGroup = resourceGroup;
  }

  public AzureAccount getAccount() {
    return account;
  }

  public void setAccount(AzureAccount account) {
    this.account = account;
  }

  public AzureDeployment getDeployment() {
    return deployment;
  }

  public void setDeployment(AzureDeployment deployment) {
    this.deployment = deployment;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AzureTarget that)) {
      return false;
    }
    return Objects.equals(subscriptionId, that.subscriptionId)
        && Objects.equals(resourceGroup, that.resourceGroup)
        && Objects.equals(account, that.account)
        && Objects.equals(deployment, that.deployment);
  }

  @Override
  public int hashCode() {
    return Objects.hash(subscriptionId, resourceGroup, account, deployment);
  }

  @Override
  public String toString() {
    return "AzureTarget{"
        + "subscriptionId="
        + subscriptionId
        + ", "
        + "resourceGroup="
        + resourceGroup
        + ", "
        + "account="
        + account
        + ", "
        + "deployment="
        + deployment
        + "}";
  }
}
