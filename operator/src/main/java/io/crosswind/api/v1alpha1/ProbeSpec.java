package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** How targets are probed. */
@ValidationRule(
    value = "duration(self.timeout) < duration(self.interval)",
    message = "probe timeout must be shorter than the probe interval",
    fieldPath = ".timeout")
@ValidationRule(
    value = "duration(self.interval) >= duration('1s')",
    message = "probe interval must be at least 1s",
    fieldPath = ".interval")
@JsonClassDescription("How targets are probed.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProbeSpec {
  @JsonPropertyDescription("Time between probes of a target (for example 30s).")
  @Default("30s")
  @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
  private String interval;

  @JsonPropertyDescription("Time a probe may take before it counts as failed (for example 5s).")
  @Default("5s")
  @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
  private String timeout;

  @JsonPropertyDescription("Consecutive failed probes before a target counts as unhealthy.")
  @Default("3")
  @Min(1)
  @Max(100)
  private Integer failureThreshold;

  @JsonPropertyDescription(
      "Consecutive good probes before an unhealthy target counts as healthy again.")
  @Default("2")
  @Min(1)
  @Max(100)
  private Integer successThreshold;

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public Integer getFailureThreshold() {
    return failureThreshold;
  }

  public void setFailureThreshold(Integer failureThreshold) {
    this.failureThreshold = failureThreshold;
  }

  public Integer getSuccessThreshold() {
    return successThreshold;
  }

  public void setSuccessThreshold(Integer successThreshold) {
    this.successThreshold = successThreshold;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ProbeSpec that)) {
      return false;
    }
    return Objects.equals(interval, that.interval)
        && Objects.equals(timeout, that.timeout)
        && Objects.equals(failureThreshold, that.failureThreshold)
        && Objects.equals(successThreshold, that.successThreshold);
  }

  @Override
  public int hashCode() {
    return Objects.hash(interval, timeout, failureThreshold, successThreshold);
  }

  @Override
  public String toString() {
    return "ProbeSpec{"
        + "interval="
        + interval
        + ", "
        + "timeout="
        + timeout
        + ", "
        + "failureThreshold="
        + failureThreshold
        + ", "
        + "successThreshold="
        + successThreshold
        + "}";
  }
}
