package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** How Bedrock capacity is bought for a target. */
@ValidationRule(
    value = "self.mode == 'Provisioned' || !has(self.modelUnits)",
    message = "modelUnits applies only to mode Provisioned",
    fieldPath = ".modelUnits")
@ValidationRule(
    value = "self.mode == 'Provisioned' || !has(self.commitment)",
    message = "commitment applies only to mode Provisioned",
    fieldPath = ".commitment")
@ValidationRule(
    value = "self.mode != 'Provisioned' || has(self.modelUnits)",
    message = "mode Provisioned needs modelUnits",
    fieldPath = ".modelUnits",
    reason = "FieldValueRequired")
@JsonClassDescription("How Bedrock capacity is bought for a target.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BedrockThroughput {
  @JsonPropertyDescription(
      "OnDemand creates an application inference profile tagged for cost allocation; Provisioned buys provisioned model throughput.")
  @Default("OnDemand")
  private ThroughputMode mode;

  @JsonPropertyDescription("The number of model units to provision; only with mode Provisioned.")
  @Min(1)
  @Max(1000)
  private Integer modelUnits;

  @JsonPropertyDescription(
      "The commitment term of provisioned throughput (None, OneMonth, SixMonths); only with mode Provisioned; without it, None.")
  private Commitment commitment;

  public ThroughputMode getMode() {
    return mode;
  }

  public void setMode(ThroughputMode mode) {
    this.mode = mode;
  }

  public Integer getModelUnits() {
    return modelUnits;
  }

  public void setModelUnits(Integer modelUnits) {
    this.modelUnits = modelUnits;
  }

  public Commitment getCommitment() {
    return commitment;
  }

  public void setCommitment(Commitment commitment) {
    this.commitment = commitment;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof BedrockThroughput that)) {
      return false;
    }
    return Objects.equals(mode, that.mode)
        && Objects.equals(modelUnits, that.modelUnits)
        && Objects.equals(commitment, that.commitment);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, modelUnits, commitment);
  }

  @Override
  public String toString() {
    return "BedrockThroughput{"
        + "mode="
        + mode
        + ", "
        + "modelUnits="
        + modelUnits
        + ", "
        + "commitment="
        + commitment
        + "}";
  }
}
