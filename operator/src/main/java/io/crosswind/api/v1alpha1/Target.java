package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** One cloud deployment that can serve the endpoint's model: exactly one of bedrock or azure. */
@ValidationRule(
    value = "has(self.bedrock) != has(self.azure)",
    message = "a target needs exactly one of bedrock or azure")
@JsonClassDescription(
    "One cloud deployment that can serve the endpoint's model: exactly one of bedrock or azure.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Target {
  @JsonPropertyDescription(
      "The target's name, unique within the endpoint; routing policies, status and events refer to it.")
  @Required
  @Size(min = 1, max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  private String name;

  @JsonPropertyDescription("Serve the model from AWS Bedrock.")
  private BedrockTarget bedrock;

  @JsonPropertyDescription("Serve the model from an Azure OpenAI deployment.")
  private AzureTarget azure;

  @JsonPropertyDescription(
      "A Secret in the endpoint's namespace with the cloud credentials for this target; without it the operator's own identity is used.")
  private SecretReference credentialsSecretRef;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public BedrockTarget getBedrock() {
    return bedrock;
  }

  public void setBedrock(BedrockTarget bedrock) {
    this.bedrock = bedrock;
  }

  public AzureTarget getAzure() {
    return azure;
  }

  public void setAzure(AzureTarget azure) {
    this.azure = azure;
  }

  public SecretReference getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(SecretReference credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Target that)) {
      return false;
    }
    return Objects.equals(name, that.name)
        && Objects.equals(bedrock, that.bedrock)
        && Objects.equals(azure, that.azure)
        && Objects.equals(credentialsSecretRef, that.credentialsSecretRef);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, bedrock, azure, credentialsSecretRef);
  }

  @Override
  public String toString() {
    return "Target{"
        + "name="
        + name
        + ", "
        + "bedrock="
        + bedrock
        + ", "
        + "azure="
        + azure
        + ", "
        + "credentialsSecretRef="
        + credentialsSecretRef
        + "}";
  }
}
