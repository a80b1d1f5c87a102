package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The namespaces a grant covers and what their endpoints may use in the clouds. */
@JsonClassDescription(
    "The namespaces a grant covers and what their endpoints may use in the clouds.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CloudGrantSpec {
  @JsonPropertyDescription(
      "The namespaces whose ModelEndpoints this grant covers, by exact name. Several grants may cover one namespace; a target is allowed when one of them allows all of it.")
  @Required
  @Size(min = 1, max = 256)
  private List<@Size(min = 1, max = 63) String> namespaces;

  @JsonPropertyDescription(
      "The models the endpoints may deploy or call: Azure deployment model names and Bedrock model ids, each an exact name or a prefix ending in '*' (for example anthropic.*). Empty or absent allows every model.")
  @Size(max = 128)
  private List<@Size(min = 1, max = 256) String> models;

  @JsonPropertyDescription(
      "Azure: the subscriptions and resource groups the endpoints may deploy into, the existing accounts they may use, and whether they may create accounts. Absent: no Azure target is allowed.")
  @Size(max = 32)
  private List<AzureGrant> azure;

  @JsonPropertyDescription(
      "AWS Bedrock: the regions, roles and provisioned throughput the endpoints may use. Absent: no Bedrock target is allowed.")
  private BedrockGrant bedrock;

  public List<String> getNamespaces() {
    return namespaces;
  }

  public void setNamespaces(List<String> namespaces) {
    this.namespaces = namespaces;
  }

  public List<String> getModels() {
    return models;
  }

  public void setModels(List<String> models) {
    this.models = models;
  }

  public List<AzureGrant> getAzure() {
    return azure;
  }

  public void setAzure(List<AzureGrant> azure) {
    this.azure = azure;
  }

  public BedrockGrant getBedrock() {
    return bedrock;
  }

  public void setBedrock(BedrockGrant bedrock) {
    this.bedrock = bedrock;
  }
}
