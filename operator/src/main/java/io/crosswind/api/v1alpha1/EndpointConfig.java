package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.Objects;

/** How applications reach the endpoint. */
@JsonClassDescription("How applications reach the endpoint.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EndpointConfig {
  @JsonPropertyDescription(
      "Gateway (default): the Service fronts the Crosswind gateway, which holds the cloud credentials and fails over per request; Direct: the endpoint Secret carries the active cloud's own URL, key and model.")
  @Default("Gateway")
  private EndpointMode mode;

  public EndpointMode getMode() {
    return mode;
  }

  public void setMode(EndpointMode mode) {
    this.mode = mode;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof EndpointConfig that)) {
      return false;
    }
    return Objects.equals(mode, that.mode);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode);
  }

  @Override
  public String toString() {
    return "EndpointConfig{" + "mode=" + mode + "}";
  }
}
