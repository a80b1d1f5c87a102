package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Objects;

/** Limits no routing decision may cross. */
@JsonClassDescription("Limits no routing decision may cross.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RoutingConstraints {
  @JsonPropertyDescription(
      "Data residency: only targets in these regions (AWS or Azure region names) are ever selected; empty allows all.")
  @Size(max = 32)
  private List<String> regions;

  public List<String> getRegions() {
    return regions;
  }

  public void setRegions(List<String> regions) {
    this.regions = regions;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RoutingConstraints that)) {
      return false;
    }
    return Objects.equals(regions, that.regions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(regions);
  }

  @Override
  public String toString() {
    return "RoutingConstraints{" + "regions=" + regions + "}";
  }
}
