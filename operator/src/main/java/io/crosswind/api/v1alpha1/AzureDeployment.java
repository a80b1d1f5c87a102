package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** An Azure OpenAI model deployment. */
@JsonClassDescription("An Azure OpenAI model deployment.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AzureDeployment {
  @JsonPropertyDescription(
      "The deployment name; without it, derived from the endpoint's namespace and name.")
  @Size(min = 2, max = 64)
  @Pattern("^[a-zA-Z0-9][a-zA-Z0-9._-]*$")
  private String name;

  @JsonPropertyDescription("The model to deploy.")
  @Required
  private AzureModel model;

  @JsonPropertyDescription("The deployment type and its capacity.")
  @Required
  private AzureSku sku;

  @JsonPropertyDescription(
      "When Azure moves the deployment to a newer model version; without it, Azure's default (OnceNewDefaultVersionAvailable).")
  private VersionUpgradeOption versionUpgradeOption;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public AzureModel getModel() {
    return model;
  }

  public void setModel(AzureModel model) {
    this.model = model;
  }

  public AzureSku getSku() {
    return sku;
  }

  public void setSku(AzureSku sku) {
    this.sku = sku;
  }

  public VersionUpgradeOption getVersionUpgradeOption() {
    return versionUpgradeOption;
  }

  public void setVersionUpgradeOption(VersionUpgradeOption versionUpgradeOption) {
    this.versionUpgradeOption = versionUpgradeOption;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AzureDeployment that)) {
      return false;
    }
    return Objects.equals(name, that.name)
        && Objects.equals(model, that.model)
        && Objects.equals(sku, that.sku)
        && Objects.equals(versionUpgradeOption, that.versionUpgradeOption);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, model, sku, versionUpgradeOption);
  }

  @Override
  public String toString() {
    return "AzureDeployment{"
        + "name="
        + name
        + ", "
        + "model="
        + model
        + ", "
        + "sku="
        + sku
        + ", "
        + "versionUpgradeOption="
        + versionUpgradeOption
        + "}";
  }
}
