package io.crosswind.operator;

import static io.crosswind.testing.Fixtures.TWO_TARGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.RoutingPolicy;
import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.api.v1alpha1.TargetStatus;
import io.crosswind.testing.Fixtures;
import io.crosswind.testing.Paths;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Both controllers, started as the operator process starts them, against the fabric8 mock server in
 * CRUD mode: fast checks of what a user sees in status, conditions and events. What depends on the
 * real API server (schema, CEL, server-side apply) is proven by the e2e suite.
 */
@EnableKubernetesMockClient(crud = true)
class ReconcilersOnMockServerTest {

  static KubernetesClient client;

  CrosswindOperator operator;
  String ns;

  @BeforeAll
  static void installCrds() throws IOException {
    try (Stream<Path> crds = Files.list(Paths.committedCrds())) {
      for (Path crd : crds.toList()) {
        try (InputStream in = Files.newInputStream(crd)) {
          client.apiextensions().v1().customResourceDefinitions().load(in).create();
        }
      }
    }
  }

  @BeforeEach
  void startOperator(TestInfo test) throws IOException {
    ns = "ns-" + Integer.toHexString(test.getDisplayName().hashCode());
    operator =
        CrosswindOperator.start(
            OperatorConfig.parse("--no-leader-election", "--ops-address=127.0.0.1", "--ops-port=0"),
            client,
            o -> o.withUseSSAToPatchPrimaryResource(false).withCloseClientOnStop(false));
  }

  @AfterEach
  void stopOperator() {
    operator.close();
  }

  ModelEndpoint endpoint(String name) {
    return client.resources(ModelEndpoint.class).inNamespace(ns).withName(name).get();
  }

  RoutingPolicy policy(String name) {
    return client.resources(RoutingPolicy.class).inNamespace(ns).withName(name).get();
  }

  static Map<String, Condition> conditions(List<Condition> conditions) {
    return conditions.stream().collect(Collectors.toMap(Condition::getType, c -> c));
  }

  Condition endpointCondition(String name, String type) {
    ModelEndpoint e = endpoint(name);
    if (e == null || e.getStatus() == null || e.getStatus().getConditions() == null) {
      return null;
    }
    return conditions(e.getStatus().getConditions()).get(type);
  }

  List<Event> eventsFor(String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  @Test
  void anEndpointReportsHonestlyThatItsTargetsAreNotProvisionedYet() {
    client.resource(Fixtures.endpoint(ns, "chat", TWO_TARGETS)).create();

    await().untilAsserted(() -> assertThat(endpointCondition("chat", "Ready")).isNotNull());
    ModelEndpoint chat = endpoint("chat");
    Map<String, Condition> conditions = conditions(chat.getStatus().getConditions());
    assertThat(conditions.keySet())
        .containsExactlyInAnyOrder("Ready", "TargetsReady", "EndpointPublished", "Degraded");
    assertThat(conditions.get("Ready").getStatus()).isEqualTo("False");
    assertThat(conditions.get("Ready").getReason()).isEqualTo("TargetsNotImplemented");
    assertThat(conditions.get("Ready").getMessage())
        .isEqualTo(
            "This Crosswind version does not provision cloud targets yet, so no cloud resources"
                + " were created for bedrock-use1, azure-eastus2.");
    assertThat(conditions.values())
        .allSatisfy(
            c ->
                assertThat(c.getObservedGeneration())
                    .isEqualTo(chat.getMetadata().getGeneration()));
    assertThat(chat.getStatus().getObservedGeneration())
        .isEqualTo(chat.getMetadata().getGeneration());
    assertThat(chat.getStatus().getActiveTarget()).isNull();
    assertThat(chat.getStatus().getTargetsReady()).isEqualTo("0/2");
    assertThat(chat.getStatus().getTargets())
        .extracting(TargetStatus::getName, TargetStatus::getState, TargetStatus::getHealth)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "bedrock-use1", TargetState.Pending, TargetHealth.Unknown),
            org.assertj.core.groups.Tuple.tuple(
                "azure-eastus2", TargetState.Pending, TargetHealth.Unknown));
    assertThat(chat.getMetadata().getFinalizers())
        .containsExactly("modelendpoints.crosswind.io/finalizer");
    await()
        .untilAsserted(
            () ->
                assertThat(eventsFor("chat"))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Normal");
                          assertThat(e.getReason()).isEqualTo("TargetsNotImplemented");
                          assertThat(e.getSource().getComponent()).isEqualTo("crosswind-operator");
                        }));
  }

  @Test
  void anEndpointFollowsItsPolicyAsThePolicyAppears() {
    client
        .resource(
            Fixtures.endpoint(ns, "chat", TWO_TARGETS + "routingPolicyRef: {name: aws-first}"))
        .create();

    await()
        .untilAsserted(
            () ->
                assertThat(endpointCondition("chat", "Ready"))
                    .isNotNull()
                    .extracting(Condition::getReason)
                    .isEqualTo("RoutingPolicyNotFound"));
    assertThat(endpointCondition("chat", "Ready").getMessage())
        .isEqualTo(
            "RoutingPolicy \"aws-first\" does not exist in namespace "
                + ns
                + "; create it or remove spec.routingPolicyRef.");
    await()
        .untilAsserted(
            () ->
                assertThat(eventsFor("chat"))
                    .extracting(Event::getType, Event::getReason)
                    .contains(
                        org.assertj.core.groups.Tuple.tuple("Warning", "RoutingPolicyNotFound")));

    client
        .resource(
            Fixtures.policy(
                ns, "aws-first", "targets: [{provider: Bedrock}, {provider: AzureOpenAI}]"))
        .create();

    await()
        .untilAsserted(
            () ->
                assertThat(endpointCondition("chat", "Ready").getReason())
                    .isEqualTo("TargetsNotImplemented"));
    await()
        .untilAsserted(
            () -> {
              RoutingPolicy p = policy("aws-first");
              assertThat(p.getStatus()).isNotNull();
              assertThat(p.getStatus().getEndpoints()).isEqualTo(1);
              assertThat(conditions(p.getStatus().getConditions()).get("Accepted").getStatus())
                  .isEqualTo("True");
            });
  }

  @Test
  void anInvalidPolicyIsNotAcceptedAndItsEndpointsSayWhy() {
    // The API server's schema rejects this policy; the mock server does not, which lets this
    // test show the operator's own check for policies stored under an older CRD.
    client
        .resource(Fixtures.policy(ns, "bad", "targets: [{provider: Bedrock, weight: 80}]"))
        .create();
    client
        .resource(Fixtures.endpoint(ns, "chat", TWO_TARGETS + "routingPolicyRef: {name: bad}"))
        .create();

    await()
        .untilAsserted(
            () -> {
              RoutingPolicy p = policy("bad");
              assertThat(p.getStatus()).isNotNull();
              Condition accepted = conditions(p.getStatus().getConditions()).get("Accepted");
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getReason()).isEqualTo("Invalid");
              assertThat(accepted.getMessage())
                  .isEqualTo(
                      "The policy is not valid: spec.targets sets weight, which applies only to"
                          + " strategy Weighted: remove the weights or set strategy: Weighted.");
            });
    await()
        .untilAsserted(
            () ->
                assertThat(endpointCondition("chat", "Ready").getReason())
                    .isEqualTo("RoutingPolicyNotAccepted"));
    await()
        .untilAsserted(
            () ->
                assertThat(eventsFor("bad"))
                    .extracting(Event::getType, Event::getReason)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("Warning", "Invalid")));
  }

  @Test
  void policyCountsTheEndpointsThatUseIt() {
    client.resource(Fixtures.policy(ns, "shared", "targets: [{provider: Bedrock}]")).create();
    client
        .resource(Fixtures.endpoint(ns, "a", TWO_TARGETS + "routingPolicyRef: {name: shared}"))
        .create();
    client
        .resource(Fixtures.endpoint(ns, "b", TWO_TARGETS + "routingPolicyRef: {name: shared}"))
        .create();
    client.resource(Fixtures.endpoint(ns, "c", TWO_TARGETS)).create();

    await()
        .untilAsserted(() -> assertThat(policy("shared").getStatus().getEndpoints()).isEqualTo(2));

    client.resources(ModelEndpoint.class).inNamespace(ns).withName("a").delete();

    await()
        .untilAsserted(() -> assertThat(policy("shared").getStatus().getEndpoints()).isEqualTo(1));
  }

  @Test
  void aPolicyAnEndpointLeavesStopsCountingIt() {
    client.resource(Fixtures.policy(ns, "first", "targets: [{provider: Bedrock}]")).create();
    client.resource(Fixtures.policy(ns, "second", "targets: [{provider: Bedrock}]")).create();
    client
        .resource(Fixtures.endpoint(ns, "a", TWO_TARGETS + "routingPolicyRef: {name: first}"))
        .create();
    await()
        .untilAsserted(() -> assertThat(policy("first").getStatus().getEndpoints()).isEqualTo(1));

    client
        .resources(ModelEndpoint.class)
        .inNamespace(ns)
        .withName("a")
        .edit(
            e -> {
              e.getSpec().getRoutingPolicyRef().setName("second");
              return e;
            });

    await()
        .untilAsserted(
            () -> {
              assertThat(policy("second").getStatus().getEndpoints()).isEqualTo(1);
              assertThat(policy("first").getStatus().getEndpoints()).isZero();
            });
  }

  @Test
  void deletingAnEndpointRunsItsFinalizerAndRemovesIt() {
    client.resource(Fixtures.endpoint(ns, "chat", TWO_TARGETS)).create();
    await()
        .untilAsserted(
            () -> assertThat(endpoint("chat").getMetadata().getFinalizers()).isNotEmpty());

    client.resources(ModelEndpoint.class).inNamespace(ns).withName("chat").delete();

    await().untilAsserted(() -> assertThat(endpoint("chat")).isNull());
  }

  @Test
  void theOperatorNeverWritesSpecAndIsQuietWhenNothingChanges() {
    ModelEndpoint created = client.resource(Fixtures.endpoint(ns, "chat", TWO_TARGETS)).create();
    await().untilAsserted(() -> assertThat(endpointCondition("chat", "Ready")).isNotNull());

    // A metadata-only change makes JOSDK reconcile again; nothing in the outcome changes.
    client
        .resources(ModelEndpoint.class)
        .inNamespace(ns)
        .withName("chat")
        .edit(
            e -> {
              e.getMetadata().setLabels(Map.of("team", "payments"));
              return e;
            });
    String settled = endpoint("chat").getMetadata().getResourceVersion();

    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(endpoint("chat").getMetadata().getResourceVersion()).isEqualTo(settled));
    ModelEndpoint after = endpoint("chat");
    assertThat(after.getSpec()).isEqualTo(created.getSpec());
    assertThat(after.getMetadata().getGeneration())
        .isEqualTo(created.getMetadata().getGeneration());
    assertThat(eventsFor("chat")).hasSize(1);
  }

  @Test
  void opsServerAnswersHealthReadinessAndPrometheusMetrics() throws Exception {
    client.resource(Fixtures.endpoint(ns, "chat", TWO_TARGETS)).create();
    await().untilAsserted(() -> assertThat(endpointCondition("chat", "Ready")).isNotNull());

    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + operator.opsPort();
    HttpResponse<String> healthz =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> readyz =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(healthz.statusCode()).as(healthz.body()).isEqualTo(200);
    assertThat(readyz.statusCode()).as(readyz.body()).isEqualTo(200);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("operator_sdk_reconciliations_success_total")
        .contains("jvm_memory_used_bytes");
  }
}
