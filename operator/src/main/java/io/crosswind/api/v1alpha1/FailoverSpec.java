package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/** When and how traffic moves away from a target and back. */
@ValidationRule(
    value = "self.triggers.all(x, self.triggers.filter(y, y == x).size() == 1)",
    message = "each failover trigger may appear once",
    fieldPath = ".triggers")
@JsonClassDescription("When and how traffic moves away from a target and back.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailoverSpec {
  @JsonPropertyDescription(
      "The target conditions that move traffic away: Unhealthy, Throttled, NotReady.")
  @Default("[\"Unhealthy\",\"Throttled\",\"NotReady\"]")
  @Size(max = 3)
  private List<FailoverTrigger> triggers;

  @JsonPropertyDescription("How targets are probed.")
  private ProbeSpec probe;

  @JsonPropertyDescription(
      "Automatic returns traffic to a recovered higher-priority target after the stabilization window; Manual waits for a person.")
  @Default("Automatic")
  private Failback failback;

  @JsonPropertyDescription(
      "The minimum time on a target before traffic fails back, against flapping (for example 5m).")
  @Default("5m")
  @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
  private String stabilizationWindow;

  public List<FailoverTrigger> getTriggers() {
    return triggers;
  }

  public void setTriggers(List<FailoverTrigger> triggers) {
    this.triggers = triggers;
  }

  public ProbeSpec getProbe() {
    return probe;
  }

  public void setProbe(ProbeSpec probe) {
    this.probe = probe;
  }

  public Failback getFailback() {
    return failback;
  }

  public void setFailback(Failback failback) {
    this.failback = failback;
  }

  public String getStabilizationWindow() {
    return stabilizationWindow;
  }

  public void setStabilizationWindow(String stabilizationWindow) {
    this.stabilizationWindow = stabilizationWindow;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FailoverSpec that)) {
      return false;
    }
    return Objects.equals(triggers, that.triggers)
        && Objects.equals(probe, that.probe)
        && Objects.equals(failback, that.failback)
        && Objects.equals(stabilizationWindow, that.stabilizationWindow);
  }

  @Override
  public int hashCode() {
    return Objects.hash(triggers, probe, failback, stabilizationWindow);
  }

  @Override
  public String toString() {
    return "FailoverSpec{"
        + "triggers="
        + triggers
        + ", "
        + "probe="
        + probe
        + ", "
        + "failback="
        + failback
        + ", "
        + "stabilizationWindow="
        + stabilizationWindow
        + "}";
  }
}
