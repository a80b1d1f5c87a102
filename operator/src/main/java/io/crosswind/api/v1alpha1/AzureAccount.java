package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** An Azure AI account; an existing one, or created by Crosswind when create is set. */
@JsonClassDescription(
    "An Azure AI account; an existing one, or created by Crosswind when create is set.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AzureAccount {
  @JsonPropertyDescription("The account name, also its custom subdomain when Crosswind creates it.")
  @Required
  @Size(min = 2, max = 64)
  @Pattern("^[a-zA-Z0-9][a-zA-Z0-9-]*$")
  private String name;

  @JsonPropertyDescription(
      "Create the account when it does not exist; Crosswind never modifies an account it did not create.")
  private AzureAccountCreate create;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public AzureAccountCreate getCreate() {
    return create;
  }

  public void setCreate(AzureAccountCreate create) {
    this.create = create;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AzureAccount that)) {
      return false;
    }
    return Objects.equals(name, that.name) && Objects.equals(create, that.create);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, create);
  }

  @Override
  public String toString() {
    return "AzureAccount{" + "name=" + name + ", " + "create=" + create + "}";
  }
}
