package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * An Entra ID application or user-assigned managed identity that the operator signs in as through
 * workload identity federation: it presents its own projected ServiceAccount token, which the
 * identity's federated credential trusts.
 */
@JsonClassDescription(
    "An Entra ID application or user-assigned managed identity the operator signs in as with its"
        + " projected ServiceAccount token (workload identity federation). The identity's"
        + " federated credential trusts the operator's ServiceAccount; its Azure role assignments"
        + " are what the covered namespaces can reach, whatever the operator itself may do.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadIdentity {
  static final String UUID =
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

  @JsonPropertyDescription("The identity's client (application) id.")
  @Required
  @Pattern(UUID)
  private String clientId;

  @JsonPropertyDescription(
      "The identity's Entra ID tenant; without it, the operator's (--azure-tenant-id).")
  @Pattern(UUID)
  private String tenantId;

  public String getClientId() {
    return clientId;
  }

  public void setClientId(String clientId) {
    this.clientId = clientId;
  }

  public String getTenantId() {
    return tenantId;
  }

  public void setTenantId(String tenantId) {
    this.tenantId = tenantId;
  }
}
