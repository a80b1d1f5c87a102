package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** An AWS Bedrock target. */
@ValidationRule(
    value =
        "!has(self.crossRegion) || !has(self.throughput) || !has(self.throughput.mode) || self.throughput.mode == 'OnDemand'",
    message = "crossRegion needs throughput mode OnDemand",
    fieldPath = ".crossRegion")
@JsonClassDescription("An AWS Bedrock target.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BedrockTarget {
  @JsonPropertyDescription("The AWS region that serves the model, for example us-east-1.")
  @Required
  @Size(max = 32)
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

  @JsonPropertyDescription(
      "Serve on demand through a system-defined cross-region inference profile of this geography (us, eu, apac, jp, au or global), which spreads requests over the geography's regions; the application inference profile Crosswind creates then copies that profile instead of the model. Only with mode OnDemand.")
  @Pattern("^(us|eu|apac|jp|au|global)$")
  private String crossRegion;

  @JsonPropertyDescription(
      "The IAM role the operator assumes for this target, for the Bedrock control plane and for the scoped, short-lived API keys it mints (with a session policy that allows only this target's model or profile); without it, the operator's configured role (--aws-role-arn). With neither, the target reports RoleRequired: Crosswind never publishes a key signed by its own identity. The role's permissions are listed in docs/cloud-bedrock.md.")
  @Size(max = 2048)
  @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$")
  private String roleArn;

  @JsonPropertyDescription(
      "Which Bedrock endpoint serves the target's OpenAI-compatible APIs (Chat Completions and Responses): Runtime, bedrock-runtime.{region}.amazonaws.com/openai/v1, which AWS recommends; or Mantle, bedrock-mantle.{region}.api.aws/v1, for what only Mantle serves (the Responses API for gpt-oss models, background inference, server-side tools). Without it, Runtime. Only for models Bedrock serves through its OpenAI-compatible APIs; others use Converse on the runtime.")
  private BedrockOpenAiEndpoint openAiEndpoint;

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

  public String getCrossRegion() {
    return crossRegion;
  }

  public void setCrossRegion(String crossRegion) {
    this.crossRegion = crossRegion;
  }

  public String getRoleArn() {
    return roleArn;
  }

  public void setRoleArn(String roleArn) {
    this.roleArn = roleArn;
  }

  public BedrockOpenAiEndpoint getOpenAiEndpoint() {
    return openAiEndpoint;
  }

  public void setOpenAiEndpoint(BedrockOpenAiEndpoint openAiEndpoint) {
    this.openAiEndpoint = openAiEndpoint;
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
        && Objects.equals(throughput, that.throughput)
        && Objects.equals(crossRegion, that.crossRegion)
        && Objects.equals(roleArn, that.roleArn)
        && openAiEndpoint == that.openAiEndpoint;
  }

  @Override
  public int hashCode() {
    return Objects.hash(region, modelId, throughput, crossRegion, roleArn, openAiEndpoint);
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
        + ", crossRegion="
        + crossRegion
        + ", roleArn="
        + roleArn
        + ", openAiEndpoint="
        + openAiEndpoint
        + "}";
  }
}
