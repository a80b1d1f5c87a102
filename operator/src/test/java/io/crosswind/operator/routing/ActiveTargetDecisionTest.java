package io.crosswind.operator.routing;

import static io.crosswind.testing.Fixtures.policySpec;
import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.api.v1alpha1.Provider;
import io.crosswind.api.v1alpha1.RoutingPolicySpec;
import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.operator.routing.ActiveTargetDecision.Candidate;
import io.crosswind.operator.routing.ActiveTargetDecision.Selection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActiveTargetDecisionTest {

  static Candidate bedrock(TargetState state, TargetHealth health) {
    return new Candidate("bedrock-use1", Provider.Bedrock, "us-east-1", state, health);
  }

  static Candidate azure(TargetState state, TargetHealth health) {
    return new Candidate("azure-eastus2", Provider.AzureOpenAI, "eastus2", state, health);
  }

  static Optional<RoutingPolicySpec> policy(String yaml) {
    return Optional.of(policySpec(yaml));
  }

  @Test
  void withoutAPolicyTheFirstReadyTargetInTheEndpointsOrderServes() {
    Selection s =
        ActiveTargetDecision.decide(
            Optional.empty(),
            List.of(
                bedrock(TargetState.Provisioning, TargetHealth.Unknown),
                azure(TargetState.Ready, TargetHealth.Unknown)));

    assertThat(s.active()).contains("azure-eastus2");
    assertThat(s.preferred()).isFalse();
    assertThat(s.why())
        .isEqualTo(
            "serving through azure-eastus2 (priority 2; bedrock-use1 is not ready (Provisioning))");
  }

  @Test
  void thePolicysPriorityBeatsTheEndpointsOrder() {
    Selection s =
        ActiveTargetDecision.decide(
            policy(
                "targets: [{provider: AzureOpenAI, priority: 1}, {provider: Bedrock, priority: 2}]"),
            List.of(
                bedrock(TargetState.Ready, TargetHealth.Healthy),
                azure(TargetState.Ready, TargetHealth.Healthy)));

    assertThat(s.active()).contains("azure-eastus2");
    assertThat(s.preferred()).isTrue();
  }

  @Test
  void anUnhealthyFirstChoiceIsPassedOverOnlyWhenThePolicyFailsOverOnIt() {
    List<Candidate> throttledFirst =
        List.of(
            bedrock(TargetState.Ready, TargetHealth.Throttled),
            azure(TargetState.Ready, TargetHealth.Healthy));

    assertThat(
            ActiveTargetDecision.decide(
                    policy("targets: [{provider: Bedrock}, {provider: AzureOpenAI}]"),
                    throttledFirst)
                .active())
        .contains("azure-eastus2");
    assertThat(
            ActiveTargetDecision.decide(
                    policy(
                        """
                        targets: [{provider: Bedrock}, {provider: AzureOpenAI}]
                        failover: {triggers: [Unhealthy, NotReady]}
                        """),
                    throttledFirst)
                .active())
        .contains("bedrock-use1");
  }

  @Test
  void whenEveryReadyTargetIsUnhealthyTheBestOneStillServes() {
    Selection s =
        ActiveTargetDecision.decide(
            Optional.empty(),
            List.of(
                bedrock(TargetState.Ready, TargetHealth.Unhealthy),
                azure(TargetState.Ready, TargetHealth.Unhealthy)));

    assertThat(s.active()).contains("bedrock-use1");
  }

  @Test
  void aTargetOutsideTheAllowedRegionsNeverServes() {
    Selection s =
        ActiveTargetDecision.decide(
            policy(
                """
                targets: [{provider: Bedrock}, {provider: AzureOpenAI}]
                constraints: {regions: [eastus2]}
                """),
            List.of(
                bedrock(TargetState.Ready, TargetHealth.Healthy),
                azure(TargetState.Provisioning, TargetHealth.Unknown)));

    assertThat(s.active()).isEmpty();
  }

  @Test
  void aPinWinsWhileThePinnedTargetIsReady() {
    Selection pinned =
        ActiveTargetDecision.decide(
            policy("targets: [{provider: Bedrock}, {provider: AzureOpenAI}]\npin: AzureOpenAI"),
            List.of(
                bedrock(TargetState.Ready, TargetHealth.Healthy),
                azure(TargetState.Ready, TargetHealth.Unhealthy)));

    assertThat(pinned.active()).contains("azure-eastus2");
    assertThat(pinned.why()).contains("pinned");
  }

  @Test
  void aTargetThePolicyDoesNotNameIsNeverSelected() {
    Selection s =
        ActiveTargetDecision.decide(
            policy("targets: [{name: bedrock-use1}]"),
            List.of(
                bedrock(TargetState.Failed, TargetHealth.Unknown),
                azure(TargetState.Ready, TargetHealth.Healthy)));

    assertThat(s.active()).isEmpty();
    assertThat(s.ranked()).extracting(r -> r.selectable()).containsExactly(true, false);
  }

  static final java.time.Instant T0 = java.time.Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void aRecoveredFirstChoiceGetsTrafficBackOnlyAfterTheStabilizationWindow() {
    Optional<RoutingPolicySpec> policy =
        policy(
            """
            targets: [{provider: Bedrock}, {provider: AzureOpenAI}]
            failover: {stabilizationWindow: 5m}
            """);
    List<Candidate> bothHealthy =
        List.of(
            bedrock(TargetState.Ready, TargetHealth.Healthy),
            azure(TargetState.Ready, TargetHealth.Healthy));
    ActiveTargetDecision.Current onAzure = new ActiveTargetDecision.Current("azure-eastus2", T0);

    Selection early =
        ActiveTargetDecision.decide(policy, bothHealthy, onAzure, T0.plusSeconds(120));
    Selection later =
        ActiveTargetDecision.decide(policy, bothHealthy, onAzure, T0.plusSeconds(301));

    assertThat(early.active()).contains("azure-eastus2");
    assertThat(early.cause()).isEqualTo(ActiveTargetDecision.Cause.STABILIZING);
    assertThat(early.revisitAfter()).contains(java.time.Duration.ofSeconds(180));
    assertThat(early.since()).isEqualTo(T0);
    assertThat(later.active()).contains("bedrock-use1");
    assertThat(later.since()).isEqualTo(T0.plusSeconds(301));
  }

  @Test
  void aFailureIsNeverDelayedByTheWindow() {
    Selection s =
        ActiveTargetDecision.decide(
            policy("targets: [{provider: Bedrock}, {provider: AzureOpenAI}]"),
            List.of(
                bedrock(TargetState.Ready, TargetHealth.Healthy),
                azure(TargetState.Ready, TargetHealth.Unhealthy)),
            new ActiveTargetDecision.Current("azure-eastus2", T0),
            T0.plusSeconds(10));

    assertThat(s.active()).contains("bedrock-use1");
  }

  @Test
  void withManualFailbackTrafficStaysOnTheFallbackUntilAPersonActs() {
    Selection s =
        ActiveTargetDecision.decide(
            policy(
                """
                targets: [{provider: Bedrock}, {provider: AzureOpenAI}]
                failover: {failback: Manual, stabilizationWindow: 1m}
                """),
            List.of(
                bedrock(TargetState.Ready, TargetHealth.Healthy),
                azure(TargetState.Ready, TargetHealth.Healthy)),
            new ActiveTargetDecision.Current("azure-eastus2", T0),
            T0.plusSeconds(3600));

    assertThat(s.active()).contains("azure-eastus2");
    assertThat(s.cause()).isEqualTo(ActiveTargetDecision.Cause.MANUAL_FAILBACK);
    assertThat(s.why()).contains("failback is Manual");
  }

  @Test
  void aTargetWhoseRegionIsNotKnownYetDoesNotCountAsAllowed() {
    Selection s =
        ActiveTargetDecision.decide(
            policy(
                """
                targets: [{provider: AzureOpenAI}]
                constraints: {regions: [eastus2]}
                """),
            List.of(
                new Candidate(
                    "azure-eastus2",
                    Provider.AzureOpenAI,
                    null,
                    TargetState.Ready,
                    TargetHealth.Healthy)));

    assertThat(s.active()).isEmpty();
  }
}
