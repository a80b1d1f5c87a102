package io.crosswind.operator.routing;

import static io.crosswind.testing.Fixtures.policySpec;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PolicyValidatorTest {

  @Test
  void acceptsTheFailoverPolicyOfTheApiPage() {
    assertThat(
            PolicyValidator.problems(
                policySpec(
                    """
                    strategy: Failover
                    targets:
                      - {provider: Bedrock, priority: 1}
                      - {provider: AzureOpenAI, priority: 2}
                    failover:
                      triggers: [Unhealthy, Throttled, NotReady]
                      probe: {interval: 30s, timeout: 5s, failureThreshold: 3, successThreshold: 2}
                      failback: Automatic
                      stabilizationWindow: 5m
                    constraints: {regions: [us-east-1, eastus2]}
                    pin: Bedrock
                    """)))
        .isEmpty();
  }

  @Test
  void weightsWithoutWeightedStrategyNameTheFix() {
    assertThat(
            PolicyValidator.problems(
                policySpec(
                    """
                    strategy: Failover
                    targets: [{provider: Bedrock, weight: 80}]
                    """)))
        .containsExactly(
            "spec.targets sets weight, which applies only to strategy Weighted: remove the"
                + " weights or set strategy: Weighted");
  }

  @Test
  void weightedNeedsAWeightOnEveryTargetAndOneAboveZero() {
    assertThat(
            PolicyValidator.problems(
                policySpec(
                    """
                    strategy: Weighted
                    targets: [{provider: Bedrock, weight: 80}, {provider: AzureOpenAI}]
                    """)))
        .containsExactly("strategy Weighted needs a weight on every entry of spec.targets");
    assertThat(
            PolicyValidator.problems(
                policySpec(
                    """
                    strategy: Weighted
                    targets: [{provider: Bedrock, weight: 0}]
                    """)))
        .containsExactly("strategy Weighted needs at least one target with a weight above 0");
  }

  @Test
  void eachTargetNamesExactlyOneThingAndNothingTwice() {
    assertThat(
            PolicyValidator.problems(
                policySpec(
                    """
                    targets:
                      - {name: a, provider: Bedrock}
                      - {}
                      - {name: b, priority: 1}
                      - {name: b, priority: 1}
                    """)))
        .containsExactly(
            "spec.targets[0] must set exactly one of name or provider",
            "spec.targets[1] must set exactly one of name or provider",
            "spec.targets[3].name \"b\" appears more than once",
            "spec.targets[3].priority 1 is used by another target");
  }

  @Test
  void pinMustNameAListedTargetOrProvider() {
    assertThat(
            PolicyValidator.problems(
                policySpec(
                    """
                    targets: [{name: bedrock-use1}]
                    pin: AzureOpenAI
                    """)))
        .containsExactly(
            "spec.pin \"AzureOpenAI\" is not a target or provider listed in spec.targets");
    assertThat(PolicyValidator.problems(policySpec("targets: [{name: bedrock-use1}]\npin: \"\"")))
        .isEmpty();
  }

  @Test
  void probeTimeoutMustBeShorterThanTheIntervalAndDurationsMustParse() {
    assertThat(
            PolicyValidator.problems(
                policySpec(
                    """
                    targets: [{provider: Bedrock}]
                    failover:
                      probe: {interval: 5s, timeout: 10s}
                      stabilizationWindow: soon
                    """)))
        .containsExactly(
            "spec.failover.stabilizationWindow \"soon\" is not a duration such as 30s, 5m or 1h30m",
            "spec.failover.probe.timeout (10s) must be shorter than spec.failover.probe.interval (5s)");
    assertThat(
            PolicyValidator.problems(
                policySpec(
                    """
                    targets: [{provider: Bedrock}]
                    failover: {probe: {interval: 500ms, timeout: 100ms}}
                    """)))
        .containsExactly("spec.failover.probe.interval (500ms) must be at least 1s");
  }

  @Test
  void aPolicyWithoutTargetsSaysSo() {
    assertThat(PolicyValidator.problems(policySpec("strategy: Failover")))
        .containsExactly("spec.targets must list at least one target or provider");
  }
}
