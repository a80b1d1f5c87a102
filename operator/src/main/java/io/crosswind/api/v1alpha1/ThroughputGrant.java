package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** How much Bedrock provisioned throughput one target may buy, and on which terms. */
@JsonClassDescription(
    "How much Bedrock provisioned throughput one target may buy, and on which terms.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ThroughputGrant {
  @JsonPropertyDescription("The most model units one target may provision.")
  @Required
  @Min(1)
  private Integer maxModelUnits;

  @JsonPropertyDescription(
      "The commitment terms a target may buy (None, OneMonth, SixMonths); absent allows only None, which can be deleted at any time.")
  @Size(max = 3)
  private List<Commitment> commitments;

  public Integer getMaxModelUnits() {
    return maxModelUnits;
  }

  public void setMaxModelUnits(Integer maxModelUnits) {
    this.maxModelUnits = maxModelUnits;
  }

  public List<Commitment> getCommitments() {
    return commitments;
  }

  public void setCommitments(List<Commitment> commitments) {
    this.commitments = commitments;
  }
}
