package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** What the covered endpoints may use in AWS Bedrock. */
@JsonClassDescription("What the covered endpoints may use in AWS Bedrock.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BedrockGrant {
  @JsonPropertyDescription("The AWS regions the endpoints' Bedrock targets may be in.")
  @Required
  @Size(min = 1, max = 32)
  private List<@Size(min = 1, max = 32) String> regions;

  @JsonPropertyDescription(
      "The IAM role the covered endpoints' Bedrock targets use when they name no bedrock.roleArn. The operator assumes it with the session tag crosswind.io/namespace (and crosswind.io/endpoint for API keys), so the role's trust policy can admit only these namespaces (docs/security.md).")
  @Size(min = 20, max = 2048)
  @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$")
  private String roleArn;

  @JsonPropertyDescription(
      "Further IAM roles a target may name in bedrock.roleArn. A target without roleArn uses roleArn above, else the operator's own identity, which only a grant with useOperatorIdentity allows.")
  @Size(max = 32)
  private List<@Size(min = 20, max = 2048) String> roleArns;

  @JsonPropertyDescription(
      "Whether targets without bedrock.roleArn may use the operator's own AWS identity. Without it, every Bedrock target must name one of roleArns.")
  private Boolean useOperatorIdentity;

  @JsonPropertyDescription(
      "Whether and how much provisioned throughput the endpoints may buy. Absent: on-demand only.")
  private ThroughputGrant provisionedThroughput;

  public List<String> getRegions() {
    return regions;
  }

  public void setRegions(List<String> regions) {
    this.regions = regions;
  }

  public String getRoleArn() {
    return roleArn;
  }

  public void setRoleArn(String roleArn) {
    this.roleArn = roleArn;
  }

  public List<String> getRoleArns() {
    return roleArns;
  }

  public void setRoleArns(List<String> roleArns) {
    this.roleArns = roleArns;
  }

  public Boolean getUseOperatorIdentity() {
    return useOperatorIdentity;
  }

  public void setUseOperatorIdentity(Boolean useOperatorIdentity) {
    this.useOperatorIdentity = useOperatorIdentity;
  }

  public ThroughputGrant getProvisionedThroughput() {
    return provisionedThroughput;
  }

  public void setProvisionedThroughput(ThroughputGrant provisionedThroughput) {
    this.provisionedThroughput = provisionedThroughput;
  }
}
