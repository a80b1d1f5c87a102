package io.crosswind.operator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.Provider;
import io.crosswind.api.v1alpha1.RoutingStrategy;
import io.crosswind.api.v1alpha1.Target;
import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.operator.cloud.CloudError;
import io.crosswind.operator.cloud.Credential;
import io.crosswind.operator.cloud.TargetDetails;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.cloud.Upstream;
import io.crosswind.operator.conditions.Reasons;
import io.crosswind.operator.health.TargetProber;
import io.crosswind.operator.publish.EndpointKey;
import io.crosswind.operator.publish.PublishedTable;
import io.crosswind.operator.routing.ActiveTargetDecision;
import io.crosswind.operator.routing.ActiveTargetDecision.Candidate;
import io.crosswind.operator.routing.ActiveTargetDecision.Selection;
import io.crosswind.testing.Fixtures;
import io.crosswind.wire.EndpointKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EndpointPublicationTest {

  static final EndpointSettings SETTINGS =
      new EndpointSettings(
          "c1",
          "crosswind-system",
          "crosswind-gateway",
          "cluster.local",
          new TargetProber.Settings(Duration.ofSeconds(30), Duration.ofSeconds(5), 3, 2),
          Duration.ofHours(1),
          Duration.ofMinutes(10));
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  static ModelEndpoint endpoint(String mode) {
    return Fixtures.endpoint(
        "payments",
        "chat",
        Fixtures.TWO_TARGETS + (mode == null ? "" : "endpoint: {mode: " + mode + "}\n"));
  }

  static TargetOutcome azureReady(ModelEndpoint e, String key) {
    Target t = e.getSpec().getTargets().get(1);
    return new TargetOutcome(
        t,
        Provider.AzureOpenAI,
        TargetObservation.ready("/subscriptions/s/x", "ok", TargetDetails.NONE, null)
            .serving(
                new Upstream(
                    Upstream.Api.OPENAI,
                    "https://acct.openai.azure.com/openai/v1",
                    "payments-chat-azure-eastus2",
                    "eastus2"),
                new Credential(
                    "key1", key, Credential.Scheme.API_KEY_HEADER, T0, null, null, null)),
        false);
  }

  static TargetOutcome bedrockFailed(ModelEndpoint e, String reason) {
    return new TargetOutcome(
        e.getSpec().getTargets().get(0),
        Provider.Bedrock,
        TargetObservation.failed(new CloudError(reason, "management API throttled", null), null),
        false);
  }

  static Selection select(List<TargetOutcome> outcomes) {
    return ActiveTargetDecision.decide(
        Optional.empty(),
        outcomes.stream()
            .map(
                o ->
                    new Candidate(
                        o.name(),
                        o.provider(),
                        null,
                        o.observation().state(),
                        TargetHealth.Unknown))
            .toList());
  }

  static EndpointPublication plan(
      ModelEndpoint e, List<TargetOutcome> outcomes, PublishedTable previous) {
    return plan(e, outcomes, previous, "cw-endpoint-key");
  }

  static EndpointPublication plan(
      ModelEndpoint e, List<TargetOutcome> outcomes, PublishedTable previous, String endpointKey) {
    return EndpointPublication.plan(
        e,
        SETTINGS,
        RoutingStrategy.Failover,
        outcomes,
        select(outcomes),
        name -> TargetHealth.Unknown,
        previous,
        new EndpointKey(endpointKey, null, null, null));
  }

  @Test
  void inGatewayModeApplicationsGetTheServiceUrlAndTheEndpointKeyNeverACloudKey() {
    ModelEndpoint e = endpoint(null);
    List<TargetOutcome> outcomes = List.of(bedrockFailed(e, "Throttled"), azureReady(e, "az-k1"));

    EndpointPublication p = plan(e, outcomes, PublishedTable.EMPTY);

    assertThat(p.gatewayService()).isTrue();
    assertThat(p.secretData().orElseThrow())
        .containsEntry("OPENAI_BASE_URL", "http://chat.payments.svc.cluster.local/v1")
        .containsEntry("OPENAI_API_KEY", "cw-endpoint-key")
        .containsEntry("OPENAI_MODEL", "gpt-5.4")
        .containsEntry("CROSSWIND_TARGET", "azure-eastus2")
        .doesNotContainValue("az-k1");
    PublishedTable table = p.routeTable();
    assertThat(table.active()).isEqualTo("azure-eastus2");
    assertThat(table.endpointKeySha256()).isEqualTo(EndpointKeys.sha256Hex("cw-endpoint-key"));
    assertThat(table.route("azure-eastus2").orElseThrow().credential().value()).isEqualTo("az-k1");
    assertThat(table.route("azure-eastus2").orElseThrow().upstreamModel())
        .isEqualTo("payments-chat-azure-eastus2");
  }

  @Test
  void inDirectModeTheSecretCarriesTheActiveCloudsOwnUrlKeyAndModel() {
    ModelEndpoint e = endpoint("Direct");

    EndpointPublication p =
        plan(
            e,
            List.of(bedrockFailed(e, "Throttled"), azureReady(e, "az-k1")),
            PublishedTable.EMPTY);

    assertThat(p.gatewayService()).isFalse();
    assertThat(p.secretData().orElseThrow())
        .containsEntry("OPENAI_BASE_URL", "https://acct.openai.azure.com/openai/v1")
        .containsEntry("OPENAI_API_KEY", "az-k1")
        .containsEntry("OPENAI_MODEL", "payments-chat-azure-eastus2")
        .containsEntry("CROSSWIND_TARGET", "azure-eastus2");
    assertThat(p.routeTable().endpointKeySha256())
        .as("the gateway accepts no endpoint key for a Direct endpoint")
        .isNull();
  }

  @Test
  void aDirectEndpointsRouteTableIsTheSameWhateverEndpointKeyTheReconcileDrew() {
    ModelEndpoint e = endpoint("Direct");
    List<TargetOutcome> outcomes = List.of(azureReady(e, "az-k1"));

    PublishedTable first = plan(e, outcomes, PublishedTable.EMPTY, "cw-drawn-first").routeTable();
    PublishedTable second = plan(e, outcomes, first, "cw-drawn-second").routeTable();

    // A change would be written, and the route table's watch event would reconcile again.
    assertThat(second).isEqualTo(first);
  }

  @Test
  void aDirectEndpointWithNothingReadyPublishesNoSecretYet() {
    ModelEndpoint e = endpoint("Direct");

    EndpointPublication p =
        plan(e, List.of(bedrockFailed(e, "QuotaExceeded")), PublishedTable.EMPTY);

    assertThat(p.secretData()).isEmpty();
    assertThat(p.url()).isEmpty();
  }

  @Test
  void aManagementPlaneErrorKeepsTheDataPlaneThatWasPublished() {
    ModelEndpoint e = endpoint(null);
    PublishedTable before =
        plan(e, List.of(azureReady(e, "az-k1")), PublishedTable.EMPTY).routeTable();
    TargetOutcome throttled =
        new TargetOutcome(
            e.getSpec().getTargets().get(1),
            Provider.AzureOpenAI,
            TargetObservation.failed(
                new CloudError("Throttled", "Azure answered 429", Duration.ofSeconds(5)), null),
            false);

    PublishedTable after = plan(e, List.of(throttled), before).routeTable();

    PublishedTable.Route route = after.route("azure-eastus2").orElseThrow();
    assertThat(route.state()).as("still serving").isEqualTo(TargetState.Ready.name());
    assertThat(EndpointPublication.servingState(throttled, before)).isEqualTo(TargetState.Ready);
    assertThat(EndpointPublication.servingState(throttled, PublishedTable.EMPTY))
        .as("a target that never served is not made to serve")
        .isEqualTo(TargetState.Failed);
    assertThat(route.url()).isEqualTo("https://acct.openai.azure.com/openai/v1");
    assertThat(route.credential().value()).isEqualTo("az-k1");
  }

  @Test
  void aConfigurationErrorTakesATargetOutOfServiceButATransientOneDoesNot() {
    ModelEndpoint e = endpoint(null);
    PublishedTable before =
        plan(e, List.of(azureReady(e, "az-k1")), PublishedTable.EMPTY).routeTable();
    TargetOutcome denied =
        new TargetOutcome(
            e.getSpec().getTargets().get(1),
            Provider.AzureOpenAI,
            TargetObservation.failed(new CloudError("AccessDenied", "no", null), null),
            false);

    TargetOutcome unavailable =
        new TargetOutcome(
            e.getSpec().getTargets().get(1),
            Provider.AzureOpenAI,
            TargetObservation.failed(
                new CloudError("CloudUnavailable", "management API answered 503", null), null),
            false);

    assertThat(EndpointPublication.servingState(denied, before)).isEqualTo(TargetState.Failed);
    assertThat(plan(e, List.of(denied), before).routeTable().route("azure-eastus2"))
        .get()
        .extracting(PublishedTable.Route::state)
        .isEqualTo(TargetState.Failed.name());
    assertThat(EndpointPublication.servingState(unavailable, before)).isEqualTo(TargetState.Ready);
    assertThat(plan(e, List.of(unavailable), before).routeTable().route("azure-eastus2"))
        .get()
        .extracting(PublishedTable.Route::state)
        .isEqualTo(TargetState.Ready.name());
  }

  @Test
  void aConverseOnlyTargetCannotBeServedDirectlyAndSaysWhatToDo() {
    ModelEndpoint e = endpoint("Direct");
    TargetOutcome converse =
        new TargetOutcome(
            e.getSpec().getTargets().get(0),
            Provider.Bedrock,
            TargetObservation.ready("arn:aws:bedrock:x", "ok", TargetDetails.NONE, null)
                .serving(
                    new Upstream(
                        Upstream.Api.BEDROCK_CONVERSE,
                        "https://bedrock-runtime.us-east-1.amazonaws.com",
                        "anthropic.claude",
                        "us-east-1"),
                    new Credential(
                        "bedrock-api-key", "k", Credential.Scheme.BEARER, T0, T0, null, null)),
            false);

    EndpointPublication p = plan(e, List.of(converse), PublishedTable.EMPTY);

    assertThat(p.secretData()).isEmpty();
    assertThat(p.problem().orElseThrow().reason()).isEqualTo(Reasons.DIRECT_MODE_UNSUPPORTED);
  }

  @Test
  void theRouteTableNeverShowsACredentialInItsTextForm() {
    ModelEndpoint e = endpoint(null);

    PublishedTable table =
        plan(e, List.of(azureReady(e, "az-secret-k1")), PublishedTable.EMPTY).routeTable();

    assertThat(table.toString()).doesNotContain("az-secret-k1");
  }

  @Test
  void aRotatedEndpointKeyIsPublishedWhileThePreviousOneStaysAcceptedForTheOverlap() {
    EndpointKey first = EndpointKey.generate(null);

    EndpointKey same = first.next(null, T0, Duration.ofHours(1));
    EndpointKey rotated = first.next("r1", T0, Duration.ofHours(1));
    EndpointKey settled = rotated.next("r1", T0.plus(Duration.ofMinutes(61)), Duration.ofHours(1));

    assertThat(same).isEqualTo(first);
    assertThat(rotated.value()).isNotEqualTo(first.value()).startsWith("cw-");
    assertThat(rotated.previousSha256()).isEqualTo(first.sha256());
    assertThat(rotated.previousUntil()).isEqualTo(T0.plus(Duration.ofHours(1)));
    assertThat(rotated.next("r1", T0.plusSeconds(60), Duration.ofHours(1))).isEqualTo(rotated);
    assertThat(settled.value()).isEqualTo(rotated.value());
    assertThat(settled.previousSha256()).isNull();
    assertThat(rotated.toString()).doesNotContain(rotated.value());
    assertThat(EndpointKey.generate("r0").next("r0", T0, Duration.ofHours(1)).previousSha256())
        .as("a new key answers the request that was already there")
        .isNull();
  }
}
