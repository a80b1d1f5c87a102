package io.crosswind.operator.endpoint;

import static io.crosswind.testing.Fixtures.TWO_TARGETS;
import static io.crosswind.testing.Fixtures.endpointSpec;
import static io.crosswind.testing.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.api.v1alpha1.ModelEndpointSpec;
import io.crosswind.operator.conditions.Reasons;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EndpointAssessmentTest {

  static ModelEndpointSpec withPolicy(String extra) {
    return endpointSpec(TWO_TARGETS + "routingPolicyRef: {name: p}\n" + extra);
  }

  @Test
  void withoutAPolicyNothingInTheRoutingStandsInTheWay() {
    assertThat(EndpointAssessment.assess("payments", endpointSpec(TWO_TARGETS), Optional.empty()))
        .isEmpty();
  }

  @Test
  void aMissingPolicyIsNamedWithItsNamespace() {
    EndpointVerdict verdict =
        EndpointAssessment.assess("payments", withPolicy(""), Optional.empty()).orElse(null);

    assertThat(verdict)
        .isEqualTo(
            new EndpointVerdict(
                Reasons.ROUTING_POLICY_NOT_FOUND,
                "RoutingPolicy \"p\" does not exist in namespace payments; create it or remove"
                    + " spec.routingPolicyRef."));
  }

  @Test
  void anInvalidPolicyPassesItsProblemsOn() {
    EndpointVerdict verdict =
        EndpointAssessment.assess(
                "payments",
                withPolicy(""),
                Optional.of(policy("payments", "p", "targets: [{provider: Bedrock, weight: 5}]")))
            .orElse(null);

    assertThat(verdict.reason()).isEqualTo(Reasons.ROUTING_POLICY_NOT_ACCEPTED);
    assertThat(verdict.message())
        .startsWith("RoutingPolicy \"p\" is not valid: spec.targets sets weight");
  }

  @Test
  void weightedRoutingInDirectModeAsksForTheGateway() {
    EndpointVerdict verdict =
        EndpointAssessment.assess(
                "payments",
                withPolicy("endpoint: {mode: Direct}"),
                Optional.of(
                    policy(
                        "payments",
                        "p",
                        "strategy: Weighted\ntargets: [{provider: Bedrock, weight: 1}]")))
            .orElse(null);

    assertThat(verdict.reason()).isEqualTo(Reasons.WEIGHTED_NEEDS_GATEWAY);
  }

  @Test
  void aPolicyThatMatchesNoTargetOfTheEndpointIsReported() {
    EndpointVerdict verdict =
        EndpointAssessment.assess(
                "payments",
                withPolicy(""),
                Optional.of(policy("payments", "p", "targets: [{name: some-other-target}]")))
            .orElse(null);

    assertThat(verdict.reason()).isEqualTo(Reasons.NO_ELIGIBLE_TARGET);
    assertThat(verdict.message()).contains("(bedrock-use1, azure-eastus2)");
  }

  @Test
  void regionConstraintsThatExcludeEveryTargetAreReported() {
    EndpointVerdict verdict =
        EndpointAssessment.assess(
                "payments",
                withPolicy(""),
                Optional.of(
                    policy(
                        "payments",
                        "p",
                        """
                    targets: [{provider: Bedrock}, {provider: AzureOpenAI}]
                    constraints: {regions: [eu-central-1, swedencentral]}
                    """)))
            .orElse(null);

    assertThat(verdict.reason()).isEqualTo(Reasons.NO_ELIGIBLE_TARGET);
    assertThat(verdict.message())
        .isEqualTo(
            "RoutingPolicy \"p\" allows only regions eu-central-1, swedencentral, and every target"
                + " it selects is elsewhere (bedrock-use1 in us-east-1, azure-eastus2 in eastus2).");
  }

  @Test
  void aTargetInAnAllowedRegionKeepsTheEndpointEligible() {
    EndpointVerdict verdict =
        EndpointAssessment.assess(
                "payments",
                withPolicy(""),
                Optional.of(
                    policy(
                        "payments",
                        "p",
                        """
                    targets: [{provider: Bedrock}, {provider: AzureOpenAI}]
                    constraints: {regions: [eastus2]}
                    """)))
            .orElse(null);

    assertThat(verdict).isNull();
  }
}
