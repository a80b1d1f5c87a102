package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Which cloud credential is published for a target; never its value. */
@JsonClassDescription("Which cloud credential is published for a target; never its value.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetCredentialsStatus {
  @JsonPropertyDescription(
      "The credential in use: key1 or key2 for an Azure account key, bedrock-api-key for a short-term Bedrock API key.")
  private String name;

  @JsonPropertyDescription("When Crosswind published this credential (RFC 3339).")
  private String publishedAt;

  @JsonPropertyDescription(
      "When the credential stops working (RFC 3339); Crosswind replaces it well before. Empty for keys that do not expire.")
  private String expiresAt;

  @JsonPropertyDescription(
      "The value of the crosswind.io/rotate-credentials annotation that the latest completed rotation answered.")
  private String rotatedFor;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getPublishedAt() {
    return publishedAt;
  }

  public void setPublishedAt(String publishedAt) {
    this.publishedAt = publishedAt;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  public String getRotatedFor() {
    return rotatedFor;
  }

  public void setRotatedFor(String rotatedFor) {
    this.rotatedFor = rotatedFor;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TargetCredentialsStatus that)) {
      return false;
    }
    return Objects.equals(name, that.name)
        && Objects.equals(publishedAt, that.publishedAt)
        && Objects.equals(expiresAt, that.expiresAt)
        && Objects.equals(rotatedFor, that.rotatedFor);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, publishedAt, expiresAt, rotatedFor);
  }

  @Override
  public String toString() {
    return "TargetCredentialsStatus{name="
        + name
        + ", publishedAt="
        + publishedAt
        + ", expiresAt="
        + expiresAt
        + ", rotatedFor="
        + rotatedFor
        + "}";
  }
}
