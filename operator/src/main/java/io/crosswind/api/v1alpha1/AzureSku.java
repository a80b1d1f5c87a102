package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** The deployment type and capacity of an Azure OpenAI deployment. */
@JsonClassDescription("The deployment type and capacity of an Azure OpenAI deployment.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AzureSku {
  @JsonPropertyDescription(
      "The deployment type: Standard, GlobalStandard, DataZoneStandard, ProvisionedManaged or GlobalProvisionedManaged.")
  @Required
  private AzureSkuName name;

  @JsonPropertyDescription(
      "The capacity: thousands of tokens per minute for standard types, provisioned throughput units for provisioned ones.")
  @Required
  @Min(1)
  @Max(1000000)
  private Integer capacity;

  public AzureSkuName getName() {
    return name;
  }

  public void setName(AzureSkuName name) {
    this.name = name;
  }

  public Integer getCapacity() {
    return capacity;
  }

  public void setCapacity(Integer capacity) {
    this.capacity = capacity;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AzureSku that)) {
      return false;
    }
    return Objects.equals(name, that.name) && Objects.equals(capacity, that.capacity);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, capacity);
  }

  @Override
  public String toString() {
    return "AzureSku{" + "name=" + name + ", " + "capacity=" + capacity + "}";
  }
}
