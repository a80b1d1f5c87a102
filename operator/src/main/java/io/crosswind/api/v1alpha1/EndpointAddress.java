package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The address applications use. */
@JsonClassDescription("The address applications use.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EndpointAddress {
  @JsonPropertyDescription("The OpenAI-compatible base URL of the endpoint.")
  private String url;

  @JsonPropertyDescription(
      "The Secret in this namespace with OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL and CROSSWIND_TARGET.")
  private String secretName;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof EndpointAddress that)) {
      return false;
    }
    return Objects.equals(url, that.url) && Objects.equals(secretName, that.secretName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, secretName);
  }

  @Override
  public String toString() {
    return "EndpointAddress{" + "url=" + url + ", " + "secretName=" + secretName + "}";
  }
}
