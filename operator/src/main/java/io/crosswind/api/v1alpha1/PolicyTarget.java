package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** A target in a policy: one ModelEndpoint target by name, or every target of a provider. */
@ValidationRule(
    value = "has(self.name) != has(self.provider)",
    message = "a policy target sets exactly one of name or provider")
@JsonClassDescription(
    "A target in a policy: one ModelEndpoint target by name, or every target of a provider.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicyTarget {
  @JsonPropertyDescription("The name of a target in the ModelEndpoints that use this policy.")
  @Size(min = 1, max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  private String name;

  @JsonPropertyDescription("Every target served by this provider (Bedrock or AzureOpenAI).")
  private Provider provider;

  @JsonPropertyDescription("Lower comes first; without it, the position in the list decides.")
  @Min(1)
  @Max(1000)
  private Integer priority;

  @JsonPropertyDescription("The relative share of traffic; only with strategy Weighted.")
  @Min(0)
  @Max(1000)
  private Integer weight;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Provider getProvider() {
    return provider;
  }

  public void setProvider(Provider provider) {
    this.provider = provider;
  }

  public Integer getPriority() {
    return priority;
  }

  public void setPriority(Integer priority) {
    this.priority = priority;
  }

  public Integer getWeight() {
    return weight;
  }

  public void setWeight(Integer weight) {
    this.weight = weight;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof PolicyTarget that)) {
      return false;
    }
    return Objects.equals(name, that.name)
        && Objects.equals(provider, that.provider)
        && Objects.equals(priority, that.priority)
        && Objects.equals(weight, that.weight);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, provider, priority, weight);
  }

  @Override
  public String toString() {
    return "PolicyTarget{"
        + "name="
        + name
        + ", "
        + "provider="
        + provider
        + ", "
        + "priority="
        + priority
        + ", "
        + "weight="
        + weight
        + "}";
  }
}
