package io.crosswind.operator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.Provider;
import io.crosswind.api.v1alpha1.RoutingStrategy;
import io.crosswind.api.v1alpha1.Target;
import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.operator.cloud.Credential;
import io.crosswind.operator.cloud.TargetDetails;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.cloud.Upstream;
import io.crosswind.operator.publish.EndpointKey;
import io.crosswind.operator.publish.PublishedNames;
import io.crosswind.operator.publish.PublishedTable;
import io.crosswind.operator.publish.PublishedTables;
import io.crosswind.operator.routing.ActiveTargetDecision;
import io.crosswind.operator.routing.ActiveTargetDecision.Candidate;
import io.crosswind.operator.routing.ActiveTargetDecision.Selection;
import io.crosswind.testing.Fixtures;
import io.crosswind.wire.EndpointKeys;
import io.crosswind.wire.Golden;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The route table as the operator writes it, against the golden files of {@code crosswind-wire}
 * that the gateway's tests read too: a field renamed, retyped or left out on this side fails here.
 * Also the upgrade from 0.1.0, whose tables carried the operator's bookkeeping inside.
 */
class RouteTableContractTest {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final Map<String, TargetHealth> HEALTHY =
      Map.of("bedrock-use1", TargetHealth.Healthy, "azure-eastus2", TargetHealth.Healthy);

  static ModelEndpoint endpoint(String extraYaml) {
    return Fixtures.endpoint("payments", "chat", Fixtures.TWO_TARGETS + extraYaml);
  }

  static TargetOutcome bedrock(ModelEndpoint e, Upstream.Api api, String url, String model) {
    return new TargetOutcome(
        e.getSpec().getTargets().get(0),
        Provider.Bedrock,
        TargetObservation.ready(
                "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/golden",
                "ok",
                TargetDetails.NONE,
                null)
            .serving(
                new Upstream(api, url, model, "us-east-1"),
                new Credential(
                    "bedrock-api-key",
                    "bedrock-api-key-golden",
                    Credential.Scheme.BEARER,
                    T0,
                    T0.plus(Duration.ofHours(1)),
                    null,
                    null)),
        false);
  }

  static TargetOutcome bedrockOpenAi(ModelEndpoint e) {
    return bedrock(
        e,
        Upstream.Api.OPENAI,
        "https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1",
        "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/golden");
  }

  static TargetOutcome azure(ModelEndpoint e) {
    return new TargetOutcome(
        e.getSpec().getTargets().get(1),
        Provider.AzureOpenAI,
        TargetObservation.ready(
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices"
                    + "/accounts/acct/deployments/payments-chat-azure-eastus2",
                "ok",
                TargetDetails.NONE,
                null)
            .serving(
                new Upstream(
                    Upstream.Api.OPENAI,
                    "https://acct.openai.azure.com/openai/v1",
                    "payments-chat-azure-eastus2",
                    "eastus2"),
                new Credential(
                    "key1",
                    "azure-key-golden",
                    Credential.Scheme.API_KEY_HEADER,
                    T0,
                    null,
                    null,
                    null)),
        false);
  }

  static Selection select(
      Optional<io.crosswind.api.v1alpha1.RoutingPolicySpec> policy, List<TargetOutcome> outcomes) {
    return ActiveTargetDecision.decide(
        policy,
        outcomes.stream()
            .filter(o -> !o.removed())
            .map(
                o ->
                    new Candidate(
                        o.name(),
                        o.provider(),
                        null,
                        o.observation().state(),
                        HEALTHY.getOrDefault(o.name(), TargetHealth.Unknown)))
            .toList(),
        ActiveTargetDecision.Current.NONE,
        T0);
  }

  static String routesJson(
      ModelEndpoint e,
      RoutingStrategy strategy,
      Optional<io.crosswind.api.v1alpha1.RoutingPolicySpec> policy,
      List<TargetOutcome> outcomes,
      EndpointKey key) {
    EndpointPublication p =
        EndpointPublication.plan(
            e,
            EndpointPublicationTest.SETTINGS,
            strategy,
            outcomes,
            select(policy, outcomes),
            name -> HEALTHY.getOrDefault(name, TargetHealth.Unknown),
            PublishedTable.EMPTY,
            key);
    Secret secret = PublishedTables.secret("crosswind-system", p.routeTable(), key);
    return decode(secret, PublishedNames.ROUTES_KEY);
  }

  static String decode(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  @Test
  void aGatewayEndpointWritesTheGoldenFailoverTable() {
    ModelEndpoint e = endpoint("");

    String json =
        routesJson(
            e,
            RoutingStrategy.Failover,
            Optional.empty(),
            List.of(bedrockOpenAi(e), azure(e)),
            new EndpointKey(Golden.ENDPOINT_KEY, null, null, null));

    assertThat(Golden.tree(json)).isEqualTo(Golden.ROUTE_TABLE_GATEWAY_FAILOVER.tree());
  }

  @Test
  void aDirectEndpointWritesTheGoldenDirectTable() {
    ModelEndpoint e = endpoint("endpoint: {mode: Direct}\n");

    String json =
        routesJson(
            e,
            RoutingStrategy.Failover,
            Optional.empty(),
            List.of(azure(e)),
            new EndpointKey(Golden.ENDPOINT_KEY, null, null, null));

    assertThat(Golden.tree(json)).isEqualTo(Golden.ROUTE_TABLE_DIRECT.tree());
  }

  @Test
  void aWeightedEndpointInARotationWritesTheGoldenTable() {
    ModelEndpoint e = endpoint("");
    Target removed = Fixtures.endpointSpec(Fixtures.TWO_TARGETS).getTargets().get(1);
    removed.setName("azure-retired");
    TargetOutcome deleting =
        new TargetOutcome(
            removed,
            Provider.AzureOpenAI,
            TargetObservation.deleting(
                "Deleting",
                "deleting its deployment",
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices"
                    + "/accounts/acct/deployments/payments-chat-azure-retired",
                Duration.ofSeconds(10)),
            true);
    EndpointKey rotated =
        new EndpointKey(
            Golden.ENDPOINT_KEY,
            "rotation-1",
            EndpointKeys.sha256Hex(Golden.PREVIOUS_ENDPOINT_KEY),
            T0.plus(Duration.ofHours(1)));

    String json =
        routesJson(
            e,
            RoutingStrategy.Weighted,
            Optional.of(
                Fixtures.policySpec(
                    """
                    strategy: Weighted
                    targets:
                      - {name: bedrock-use1, weight: 80}
                      - {name: azure-eastus2, weight: 20}
                    """)),
            List.of(
                bedrock(
                    e,
                    Upstream.Api.BEDROCK_CONVERSE,
                    "https://bedrock-runtime.us-east-1.amazonaws.com",
                    "anthropic.claude-sonnet-4-5-20250929-v1:0"),
                azure(e),
                deleting),
            rotated);

    assertThat(Golden.tree(json)).isEqualTo(Golden.ROUTE_TABLE_WEIGHTED_ROTATING.tree());
  }

  @Test
  void theOperatorsBookkeepingIsKeptBesideTheTableAndReadBack() {
    ModelEndpoint e = endpoint("");
    List<TargetOutcome> outcomes = List.of(bedrockOpenAi(e), azure(e));
    EndpointKey key = new EndpointKey(Golden.ENDPOINT_KEY, null, null, null);
    PublishedTable table =
        EndpointPublication.plan(
                e,
                EndpointPublicationTest.SETTINGS,
                RoutingStrategy.Failover,
                outcomes,
                select(Optional.empty(), outcomes),
                name -> HEALTHY.getOrDefault(name, TargetHealth.Unknown),
                PublishedTable.EMPTY,
                key)
            .routeTable();

    Secret secret = PublishedTables.secret("crosswind-system", table, key);

    assertThat(decode(secret, PublishedNames.ROUTES_KEY))
        .as("the gateway's document holds none of the operator's bookkeeping")
        .doesNotContain("resourceId", "publishedAt", "\"spec\"", "activeSince", "key1");
    assertThat(PublishedTables.read(Optional.of(secret)))
        .as("what the next reconcile starts from")
        .isEqualTo(table);
  }

  @Test
  void aTableWrittenBy010IsReadWithItsBookkeeping() {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName("crosswind-routes-payments-chat")
            .endMetadata()
            .withData(
                Map.of(
                    PublishedNames.ROUTES_KEY,
                    Base64.getEncoder()
                        .encodeToString(Golden.ROUTE_TABLE_WRITTEN_BY_0_1_0.bytes())))
            .build();

    PublishedTable table = PublishedTables.read(Optional.of(secret));

    assertThat(table.activeSince()).isEqualTo("2026-12-01T09:00:00Z");
    PublishedTable.Route bedrock = table.route("bedrock-use1").orElseThrow();
    assertThat(bedrock.resourceId())
        .isEqualTo("arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/golden");
    assertThat(bedrock.spec().getBedrock().getRegion()).isEqualTo("us-east-1");
    assertThat(bedrock.credential().toCredential())
        .isEqualTo(
            new Credential(
                "bedrock-api-key",
                "bedrock-api-key-golden",
                Credential.Scheme.BEARER,
                T0,
                T0.plus(Duration.ofHours(1)),
                null,
                null));
    assertThat(table.route("azure-eastus2").orElseThrow().credential().name()).isEqualTo("key1");
  }

  @Test
  void anUnreadableLedgerCostsTheBookkeepingNotTheTable() {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName("crosswind-routes-payments-chat")
            .endMetadata()
            .withData(
                Map.of(
                    PublishedNames.ROUTES_KEY,
                    Base64.getEncoder().encodeToString(Golden.ROUTE_TABLE_GATEWAY_FAILOVER.bytes()),
                    PublishedNames.LEDGER_KEY,
                    Base64.getEncoder()
                        .encodeToString("{not json".getBytes(StandardCharsets.UTF_8))))
            .build();

    PublishedTable table = PublishedTables.read(Optional.of(secret));

    assertThat(table.active()).isEqualTo("bedrock-use1");
    assertThat(table.route("azure-eastus2").orElseThrow().credential().value())
        .isEqualTo("azure-key-golden");
    assertThat(table.route("azure-eastus2").orElseThrow().resourceId()).isNull();
  }
}
