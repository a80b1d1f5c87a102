package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/** The desired routing of a RoutingPolicy. */
@ValidationRule(
    value = "self.strategy == 'Weighted' || self.targets.all(t, !has(t.weight))",
    message =
        "weight applies only to strategy Weighted: remove the weights or set strategy: Weighted",
    fieldPath = ".targets")
@ValidationRule(
    value = "self.strategy != 'Weighted' || self.targets.all(t, has(t.weight))",
    message = "strategy Weighted needs a weight on every target",
    fieldPath = ".targets",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "self.strategy != 'Weighted' || self.targets.exists(t, has(t.weight) && t.weight > 0)",
    message = "strategy Weighted needs at least one target with a weight above 0",
    fieldPath = ".targets")
@ValidationRule(
    value =
        "self.targets.all(t, !has(t.name) || self.targets.filter(u, has(u.name) && u.name == t.name).size() == 1)",
    message = "target names must be unique within the policy",
    fieldPath = ".targets")
@ValidationRule(
    value =
        "self.targets.all(t, !has(t.provider) || self.targets.filter(u, has(u.provider) && u.provider == t.provider).size() == 1)",
    message = "each provider may appear once in targets",
    fieldPath = ".targets")
@ValidationRule(
    value =
        "self.targets.all(t, !has(t.priority) || self.targets.filter(u, has(u.priority) && u.priority == t.priority).size() == 1)",
    message = "target priorities must be unique",
    fieldPath = ".targets")
@ValidationRule(
    value =
        "!has(self.pin) || self.pin == '' || self.targets.exists(t, (has(t.name) && t.name == self.pin) || (has(t.provider) && t.provider == self.pin))",
    message = "pin must name a target or provider listed in targets",
    fieldPath = ".pin")
@JsonClassDescription("The desired routing of a RoutingPolicy.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RoutingPolicySpec {
  @JsonPropertyDescription(
      "Failover sends all traffic to the first eligible target by priority; Weighted splits it by weight (needs the gateway).")
  @Default("Failover")
  private RoutingStrategy strategy;

  @JsonPropertyDescription(
      "The targets in preference order, each naming a ModelEndpoint target or a whole provider.")
  @Required
  @Size(min = 1, max = 8)
  private List<PolicyTarget> targets;

  @JsonPropertyDescription("When and how traffic moves away from a target and back.")
  private FailoverSpec failover;

  @JsonPropertyDescription("Limits no decision may cross, such as data residency.")
  private RoutingConstraints constraints;

  @JsonPropertyDescription(
      "Break-glass: a target name or provider that wins regardless of health while it exists; empty to let the policy decide.")
  @Size(max = 63)
  @Pattern("^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$|^Bedrock$|^AzureOpenAI$")
  private String pin;

  public RoutingStrategy getStrategy() {
    return strategy;
  }

  public void setStrategy(RoutingStrategy strategy) {
    this.strategy = strategy;
  }

  public List<PolicyTarget> getTargets() {
    return targets;
  }

  public void setTargets(List<PolicyTarget> targets) {
    this.targets = targets;
  }

  public FailoverSpec getFailover() {
    return failover;
  }

  public void setFailover(FailoverSpec failover) {
    this.failover = failover;
  }

  public RoutingConstraints getConstraints() {
    return constraints;
  }

  public void setConstraints(RoutingConstraints constraints) {
    this.constraints = constraints;
  }

  public String getPin() {
    return pin;
  }

  public void setPin(String pin) {
    this.pin = pin;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RoutingPolicySpec that)) {
      return false;
    }
    return Objects.equals(strategy, that.strategy)
        && Objects.equals(targets, that.targets)
        && Objects.equals(failover, that.failover)
        && Objects.equals(constraints, that.constraints)
        && Objects.equals(pin, that.pin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(strategy, targets, failover, constraints, pin);
  }

  @Override
  public String toString() {
    return "RoutingPolicySpec{"
        + "strategy="
        + strategy
        + ", "
        + "targets="
        + targets
        + ", "
        + "failover="
        + failover
        + ", "
        + "constraints="
        + constraints
        + ", "
        + "pin="
        + pin
        + "}";
  }
}
