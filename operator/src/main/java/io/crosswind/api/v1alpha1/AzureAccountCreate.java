package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** How Crosswind creates an Azure AI account. */
@JsonClassDescription("How Crosswind creates an Azure AI account.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AzureAccountCreate {
  @JsonPropertyDescription("The Azure region of the account, for example eastus2.")
  @Required
  @Pattern("^[a-z0-9]+$")
  private String location;

  @JsonPropertyDescription("The kind of account: AIServices or OpenAI.")
  @Default("AIServices")
  private AzureAccountKind kind;

  public String getLocation() {
    return location;
  }

  public void setLocation(String location) {
    this.location = location;
  }

  public AzureAccountKind getKind() {
    return kind;
  }

  public void setKind(AzureAccountKind kind) {
    this.kind = kind;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AzureAccountCreate that)) {
      return false;
    }
    return Objects.equals(location, that.location) && Objects.equals(kind, that.kind);
  }

  @Override
  public int hashCode() {
    return Objects.hash(location, kind);
  }

  @Override
  public String toString() {
    return "AzureAccountCreate{" + "location=" + location + ", " + "kind=" + kind + "}";
  }
}
