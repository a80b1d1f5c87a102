package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Where in one Azure subscription the covered endpoints may deploy. */
@JsonClassDescription("Where in one Azure subscription the covered endpoints may deploy.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AzureGrant {
  @JsonPropertyDescription(
      "The subscription; without it, the operator's default subscription (--azure-subscription-id).")
  @Size(max = 36)
  @Pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
  private String subscriptionId;

  @JsonPropertyDescription("The resource groups the endpoints' accounts may be in.")
  @Required
  @Size(min = 1, max = 64)
  private List<@Size(min = 1, max = 90) String> resourceGroups;

  @JsonPropertyDescription(
      "Whether the endpoints may create accounts (account.create) in these resource groups. An account Crosswind created for one namespace serves only endpoints of that namespace unless a grant lists it in accounts.")
  private Boolean createAccounts;

  @JsonPropertyDescription(
      "Existing accounts in these resource groups the endpoints may deploy into and publish the keys of (without account.create): adopted explicitly, by name. Their keys are rotated only by the rotation annotation of an endpoint this list covers.")
  @Size(max = 128)
  private List<@Size(min = 2, max = 64) String> accounts;

  @JsonPropertyDescription(
      "The Entra ID identity the operator signs in as, through workload identity federation, for targets in these resource groups that name no credentialsSecretRef. Give it Azure roles on these resource groups only: Azure Resource Manager then refuses what this grant does not cover, whatever the operator's own identity may do. Without it, such targets use the operator's own identity.")
  private WorkloadIdentity workloadIdentity;

  public String getSubscriptionId() {
    return subscriptionId;
  }

  public void setSubscriptionId(String subscriptionId) {
    this.subscriptionId = subscriptionId;
  }

  public List<String> getResourceGroups() {
    return resourceGroups;
  }

  public void setResourceGroups(List<String> resourceGroups) {
    this.resourceGroups = resourceGroups;
  }

  public Boolean getCreateAccounts() {
    return createAccounts;
  }

  public void setCreateAccounts(Boolean createAccounts) {
    this.createAccounts = createAccounts;
  }

  public List<String> getAccounts() {
    return accounts;
  }

  public void setAccounts(List<String> accounts) {
    this.accounts = accounts;
  }

  public WorkloadIdentity getWorkloadIdentity() {
    return workloadIdentity;
  }

  public void setWorkloadIdentity(WorkloadIdentity workloadIdentity) {
    this.workloadIdentity = workloadIdentity;
  }
}
