package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** A model in the Azure OpenAI catalog. */
@JsonClassDescription("A model in the Azure OpenAI catalog.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AzureModel {
  @JsonPropertyDescription("The model format; OpenAI for OpenAI models.")
  @Default("OpenAI")
  @Size(min = 1, max = 64)
  private String format;

  @JsonPropertyDescription("The model name, for example gpt-5.4.")
  @Required
  @Size(min = 1, max = 128)
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._-]*$")
  private String name;

  @JsonPropertyDescription(
      "The model version, for example 2026-04-01; without it, the default version in the region.")
  @Size(min = 1, max = 64)
  private String version;

  public String getFormat() {
    return format;
  }

  public void setFormat(String format) {
    this.format = format;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AzureModel that)) {
      return false;
    }
    return Objects.equals(format, that.format)
        && Objects.equals(name, that.name)
        && Objects.equals(version, that.version);
  }

  @Override
  public int hashCode() {
    return Objects.hash(format, name, version);
  }

  @Override
  public String toString() {
    return "AzureModel{"
        + "format="
        + format
        + ", "
        + "name="
        + name
        + ", "
        + "version="
        + version
        + "}";
  }
}
