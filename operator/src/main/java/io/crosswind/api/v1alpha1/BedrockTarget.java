package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** An AWS Bedrock target. */
@JsonClassDescription("An AWS Bedrock target.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BedrockTarget {
  @JsonPropertyDescription("The AWS region that serves the model, for example us-east-1.")
  @Required
  @Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]+$")
  private String region;

  @JsonPropertyDescription(
      "The Bedrock model id, as ListFoundationModels reports it, for example openai.gpt-oss-120b-1:0.")
  @Required
  @Size(min = 1, max = 256)
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._:/-]*$")
  private String modelId;

  @JsonPropertyDescription("How capacity is bought; without it, OnDemand.")
  private BedrockThroughput throughput;

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getModelId() {
    return modelId;
  }

  public void setModelId(String modelId) {
    this.modelId = modelId;
  }

  public BedrockThroughput getThroughput() {
    return throughput;
  }

  public void setThroughput(BedrockThroughput throughput) {
    this.throughput = throughput;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof BedrockTarget that)) {
      return false;
    }
    return Objects.equals(region, that.region)
        && Objects.equals(modelId, that.modelId)
        && Objects.equals(throughput, that.throughput);
  }

  @Override
  public int hashCode() {
    return Objects.hash(region, modelId, throughput);
  }

  @Override
  public String toString() {
    return "BedrockTarget{"
        + "region="
        + region
        + ", "
        + "modelId="
        + modelId
        + ", "
        + "throughput="
        + throughput
        + "}";
  }
}
