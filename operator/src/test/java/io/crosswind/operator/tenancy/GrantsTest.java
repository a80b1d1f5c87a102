package io.crosswind.operator.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.api.v1alpha1.CloudGrant;
import io.crosswind.api.v1alpha1.Target;
import io.crosswind.operator.cloud.GrantedIdentity;
import io.crosswind.testing.Fixtures;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GrantsTest {

  static final String SUB = "00000000-0000-0000-0000-000000000001";

  static final CloudGrant PAYMENTS =
      Fixtures.grant(
          "payments",
          """
          namespaces: [payments]
          azure:
            - resourceGroups: [rg-payments]
              createAccounts: true
              accounts: [shared-openai]
          bedrock:
            regions: [us-east-1]
            roleArns: ["arn:aws:iam::111122223333:role/payments-bedrock"]
            provisionedThroughput: {maxModelUnits: 2, commitments: [None, OneMonth]}
          """);

  static Target target(String yaml) {
    return Fixtures.endpointSpec("model: m\ntargets:\n" + yaml.indent(2)).getTargets().get(0);
  }

  static Optional<String> denial(String namespace, String targetYaml, CloudGrant... grants) {
    return Grants.denial(
        namespace, target(targetYaml), SUB, Grants.covering(namespace, List.of(grants)));
  }

  static String azure(String rg, String account, boolean create) {
    return """
        - name: azure
          azure:
            resourceGroup: %s
            account: {name: %s%s}
            deployment:
              model: {name: gpt-4o}
              sku: {name: GlobalStandard, capacity: 1}
        """
        .formatted(rg, account, create ? ", create: {location: eastus2}" : "");
  }

  static String bedrock(String extra) {
    return """
        - name: bedrock
          bedrock: {region: us-east-1, modelId: openai.gpt-5.4%s}
        """
        .formatted(extra);
  }

  @Test
  void aNamespaceNoGrantCoversGetsNothingAndIsToldWhatAnAdminApplies() {
    assertThat(denial("evil", azure("rg-payments", "payments-openai", true), PAYMENTS))
        .contains(
            "No CloudGrant covers namespace evil, so Crosswind neither creates, reads nor"
                + " publishes anything for it. A platform admin applies a CloudGrant that lists"
                + " evil in spec.namespaces (docs/tenancy.md).");
  }

  @Test
  void azureTargetsStayInTheirGrantedResourceGroupsAndAccounts() {
    assertThat(denial("payments", azure("rg-payments", "payments-openai", true), PAYMENTS))
        .as("a new account in a granted resource group")
        .isEmpty();
    assertThat(denial("payments", azure("rg-payments", "shared-openai", false), PAYMENTS))
        .as("an existing account the grant adopts")
        .isEmpty();
    assertThat(denial("payments", azure("rg-other", "payments-openai", true), PAYMENTS))
        .contains(
            "No CloudGrant for namespace payments allows target azure (CloudGrant payments:"
                + " resource group rg-other is not in spec.azure[].resourceGroups). A platform"
                + " admin adds it to a grant, or the target changes to what a grant allows.");
    assertThat(denial("payments", azure("rg-payments", "someone-elses", false), PAYMENTS))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains(
                        "the existing account someone-elses is not in spec.azure[].accounts"));
  }

  @Test
  void creatingAccountsNeedsCreateAccounts() {
    CloudGrant noCreate =
        Fixtures.grant(
            "use-only",
            """
            namespaces: [payments]
            azure: [{resourceGroups: [rg-payments], accounts: [shared-openai]}]
            """);
    assertThat(denial("payments", azure("rg-payments", "new-one", true), noCreate))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains(
                        "creating accounts in resource group rg-payments is not allowed"
                            + " (spec.azure[].createAccounts)"));
    assertThat(denial("payments", azure("rg-payments", "shared-openai", true), noCreate))
        .as("an account the grant lists may carry account.create (Crosswind then made it)")
        .isEmpty();
  }

  @Test
  void anotherSubscriptionIsNotGrantedByTheDefaultOne() {
    String elsewhere =
        azure("rg-payments", "payments-openai", true)
            .replace(
                "resourceGroup: rg-payments",
                "subscriptionId: 00000000-0000-0000-0000-000000000002\n    resourceGroup: rg-payments");
    assertThat(denial("payments", elsewhere, PAYMENTS))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains(
                        "resource group rg-payments in subscription"
                            + " 00000000-0000-0000-0000-000000000002 is not in"
                            + " spec.azure[].resourceGroups"));
  }

  @Test
  void bedrockTargetsStayInTheirRegionsRolesAndThroughput() {
    String role = ", roleArn: \"arn:aws:iam::111122223333:role/payments-bedrock\"";
    assertThat(denial("payments", bedrock(role), PAYMENTS)).isEmpty();
    assertThat(denial("payments", bedrock(role).replace("us-east-1", "eu-west-1"), PAYMENTS))
        .hasValueSatisfying(
            m -> assertThat(m).contains("region eu-west-1 is not in spec.bedrock.regions"));
    assertThat(
            denial(
                "payments",
                bedrock(", roleArn: \"arn:aws:iam::999999999999:role/admin\""),
                PAYMENTS))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains(
                        "role arn:aws:iam::999999999999:role/admin is neither"
                            + " spec.bedrock.roleArn nor in roleArns"));
    assertThat(denial("payments", bedrock(""), PAYMENTS))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains(
                        "a target without bedrock.roleArn uses spec.bedrock.roleArn, which is"
                            + " absent, or the operator's own identity, which"
                            + " spec.bedrock.useOperatorIdentity does not allow"));
  }

  @Test
  void theAllowingGrantNamesTheIdentityTheTargetUses() {
    CloudGrant federated =
        Fixtures.grant(
            "payments",
            """
            namespaces: [payments]
            azure:
              - resourceGroups: [rg-other]
                createAccounts: true
                workloadIdentity: {clientId: 22222222-2222-2222-2222-222222222222}
              - resourceGroups: [rg-payments]
                createAccounts: true
                workloadIdentity:
                  clientId: 11111111-1111-1111-1111-111111111111
                  tenantId: 33333333-3333-3333-3333-333333333333
            bedrock:
              regions: [us-east-1]
              roleArn: "arn:aws:iam::111122223333:role/payments-bedrock"
              roleArns: ["arn:aws:iam::111122223333:role/payments-batch"]
            """);
    Grants.Decision azure =
        Grants.decide(
            "payments",
            target(azure("rg-payments", "payments-openai", true)),
            SUB,
            List.of(federated));
    assertThat(azure.allowed()).isTrue();
    assertThat(azure.identity())
        .isEqualTo(
            new GrantedIdentity(
                "payments",
                "33333333-3333-3333-3333-333333333333",
                "11111111-1111-1111-1111-111111111111",
                null));
    // A target without roleArn takes the grant's; one that names a listed role keeps its own.
    assertThat(
            Grants.decide("payments", target(bedrock("")), SUB, List.of(federated))
                .identity()
                .awsRoleArn())
        .isEqualTo("arn:aws:iam::111122223333:role/payments-bedrock");
    Grants.Decision named =
        Grants.decide(
            "payments",
            target(bedrock(", roleArn: \"arn:aws:iam::111122223333:role/payments-batch\"")),
            SUB,
            List.of(federated));
    assertThat(named.allowed()).isTrue();
    assertThat(named.identity().awsRoleArn()).isNull();
    // A grant without identities leaves the operator's own.
    assertThat(
            Grants.decide(
                    "payments",
                    target(azure("rg-payments", "payments-openai", true)),
                    SUB,
                    List.of(PAYMENTS))
                .identity()
                .azureClientId())
        .isNull();
    Grants.Decision denied =
        Grants.decide(
            "evil", target(bedrock("")), SUB, Grants.covering("evil", List.of(federated)));
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.identity()).isEqualTo(GrantedIdentity.NONE);
  }

  @Test
  void provisionedThroughputIsBoundedInUnitsAndCommitment() {
    String role = ", roleArn: \"arn:aws:iam::111122223333:role/payments-bedrock\"";
    assertThat(
            denial(
                "payments",
                bedrock(
                    role
                        + ", throughput: {mode: Provisioned, modelUnits: 2, commitment: OneMonth}"),
                PAYMENTS))
        .isEmpty();
    assertThat(
            denial(
                "payments",
                bedrock(role + ", throughput: {mode: Provisioned, modelUnits: 3}"),
                PAYMENTS))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains(
                        "3 model units exceed spec.bedrock.provisionedThroughput.maxModelUnits"
                            + " (2)"));
    assertThat(
            denial(
                "payments",
                bedrock(
                    role
                        + ", throughput: {mode: Provisioned, modelUnits: 1, commitment: SixMonths}"),
                PAYMENTS))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains(
                        "commitment SixMonths is not in"
                            + " spec.bedrock.provisionedThroughput.commitments"));
    CloudGrant onDemandOnly =
        Fixtures.grant(
            "on-demand",
            """
            namespaces: [payments]
            bedrock: {regions: [us-east-1], useOperatorIdentity: true}
            """);
    assertThat(
            denial(
                "payments",
                bedrock(", throughput: {mode: Provisioned, modelUnits: 1}"),
                onDemandOnly))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains(
                        "provisioned throughput is not allowed"
                            + " (spec.bedrock.provisionedThroughput)"));
  }

  @Test
  void modelsAreExactNamesOrPrefixes() {
    CloudGrant anthropicOnly =
        Fixtures.grant(
            "anthropic",
            """
            namespaces: [payments]
            models: ["anthropic.*", gpt-4o]
            azure: [{resourceGroups: [rg-payments], createAccounts: true}]
            bedrock: {regions: [us-east-1], useOperatorIdentity: true}
            """);
    assertThat(denial("payments", azure("rg-payments", "a", true), anthropicOnly)).isEmpty();
    assertThat(
            denial(
                "payments",
                bedrock("").replace("openai.gpt-5.4", "anthropic.claude-sonnet-4-5"),
                anthropicOnly))
        .isEmpty();
    assertThat(denial("payments", bedrock(""), anthropicOnly))
        .hasValueSatisfying(
            m -> assertThat(m).contains("model openai.gpt-5.4 is not in spec.models"));
  }

  @Test
  void oneGrantMustAllowAllOfATargetAndTheMessageNamesEachGrant() {
    CloudGrant regionOnly =
        Fixtures.grant(
            "eu",
            """
            namespaces: [payments]
            bedrock: {regions: [eu-west-1], useOperatorIdentity: true}
            """);
    CloudGrant identityLess =
        Fixtures.grant(
            "us",
            """
            namespaces: [payments]
            bedrock: {regions: [us-east-1]}
            """);
    // eu allows the identity, us the region: neither allows both.
    assertThat(denial("payments", bedrock(""), regionOnly, identityLess))
        .contains(
            "No CloudGrant for namespace payments allows target bedrock (CloudGrant eu: region"
                + " us-east-1 is not in spec.bedrock.regions; CloudGrant us: a target without"
                + " bedrock.roleArn uses spec.bedrock.roleArn, which is absent, or the operator's"
                + " own identity, which"
                + " spec.bedrock.useOperatorIdentity does not allow). A platform admin adds it to"
                + " a grant, or the target changes to what a grant allows.");
  }

  @Test
  void aGrantForAnotherNamespaceCountsForNothing() {
    assertThat(Grants.covering("payments-evil", List.of(PAYMENTS))).isEmpty();
    assertThat(Grants.covering("payments", List.of(PAYMENTS))).containsExactly(PAYMENTS);
  }
}
