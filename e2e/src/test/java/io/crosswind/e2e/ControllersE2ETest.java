package io.crosswind.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.RoutingPolicy;
import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.api.v1alpha1.TargetStatus;
import io.crosswind.operator.CrosswindOperator;
import io.crosswind.operator.OperatorConfig;
import io.crosswind.simulators.Simulators;
import io.crosswind.wire.EndpointKeys;
import io.crosswind.wire.RouteTable;
import io.crosswind.wire.RouteTables;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Both controllers, started as the operator process starts them, against the real API server: a
 * namespace and an operator namespace of its own for each test, and what a user sees in status,
 * conditions, events and what is published. Probes are off, so only what each test does moves an
 * endpoint.
 */
@ExtendWith(RealCluster.class)
class ControllersE2ETest {

  static KubernetesClient client;
  static Simulators sim;
  static Path ca;

  CrosswindOperator operator;
  String ns;
  String operatorNs;

  @BeforeAll
  static void startClouds() throws IOException {
    client = RealCluster.get().adminClient();
    Resources.installCrds(client);
    sim = SimulatedClouds.start(java.util.Set.of(AZURE_RG));
    SimulatedClouds.operatorIdentity(sim);
    ca = sim.certificates().writeCaPem(Files.createTempFile("crosswind-controllers", ".pem"));
  }

  @AfterAll
  static void stopClouds() {
    if (sim != null) {
      sim.close();
    }
    if (client != null) {
      client.close();
    }
  }

  @BeforeEach
  void startOperator(TestInfo test) throws IOException {
    ns = "ns-" + Integer.toHexString(test.getDisplayName().hashCode());
    operatorNs = ns + "-system";
    Resources.namespace(client, ns);
    Resources.namespace(client, operatorNs);
    Resources.namespace(client, ns + "-prod");
    for (String granted : List.of(ns, ns + "-prod")) {
      Resources.grantForTests(
          client,
          granted,
          java.util.Set.of(AZURE_RG, "rg-absent"),
          SimulatedClouds.bedrockRole(sim));
    }
    for (String team : List.of(ns, ns + "-prod")) {
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withNamespace(team)
                  .withName("azure-sp")
                  .endMetadata()
                  .addToStringData("AZURE_TENANT_ID", sim.credentials().tenantId())
                  .addToStringData("AZURE_CLIENT_ID", sim.credentials().clientId())
                  .addToStringData("AZURE_CLIENT_SECRET", sim.credentials().clientSecret())
                  .build())
          .serverSideApply();
    }
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--operator-namespace=" + operatorNs,
                "--watch-namespaces=" + ns + "," + ns + "-prod",
                "--no-leader-election",
                "--ops-address=127.0.0.1",
                "--ops-port=0",
                "--cluster-id=controllers",
                "--probe-interval=0s",
                "--credential-grace=1s"));
    flags.addAll(SimulatedClouds.operatorFlags(sim, ca));
    operatorFlags = flags;
    operator =
        CrosswindOperator.start(
            OperatorConfig.parse(flags.toArray(String[]::new)), RealCluster.get().adminClient());
  }

  List<String> operatorFlags;

  /** Stops this test's operator and starts it again with these flags added. */
  void restartOperatorWith(String... extra) throws IOException {
    operator.close();
    List<String> flags = new ArrayList<>(operatorFlags);
    flags.addAll(List.of(extra));
    operator =
        CrosswindOperator.start(
            OperatorConfig.parse(flags.toArray(String[]::new)), RealCluster.get().adminClient());
  }

  @AfterEach
  void stopOperator() {
    operator.close();
    sim.faults().clear();
  }

  /**
   * An endpoint whose one target can never be provisioned (its resource group does not exist):
   * enough for what policies count and what the finalizer does, with no cloud resource made.
   */
  static final String UNPROVISIONABLE =
      """
      model: gpt-4o
      targets:
        - name: azure-eastus2
          credentialsSecretRef: {name: azure-sp}
          azure:
            resourceGroup: rg-absent
            account: {name: never-made, create: {location: eastus2}}
            deployment:
              model: {name: gpt-4o}
              sku: {name: GlobalStandard, capacity: 1}
      """;

  static ModelEndpoint endpoint(String namespace, String name, String spec) {
    return Serialization.unmarshal(
        document("ModelEndpoint", namespace, name, spec), ModelEndpoint.class);
  }

  static RoutingPolicy policy(String namespace, String name, String spec) {
    return Serialization.unmarshal(
        document("RoutingPolicy", namespace, name, spec), RoutingPolicy.class);
  }

  private static String document(String kind, String namespace, String name, String spec) {
    return "apiVersion: crosswind.io/v1alpha1\nkind: "
        + kind
        + "\nmetadata: {namespace: "
        + namespace
        + ", name: "
        + name
        + "}\nspec:\n"
        + spec.indent(2);
  }

  ModelEndpoint endpoint(String name) {
    return client.resources(ModelEndpoint.class).inNamespace(ns).withName(name).get();
  }

  RoutingPolicy policy(String name) {
    return client.resources(RoutingPolicy.class).inNamespace(ns).withName(name).get();
  }

  /** Until the endpoint's resource version has stayed the same for two seconds. */
  void awaitSettled(String endpoint) {
    java.util.concurrent.atomic.AtomicReference<String> last =
        new java.util.concurrent.atomic.AtomicReference<>("");
    java.util.concurrent.atomic.AtomicLong since =
        new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              String now = endpoint(endpoint).getMetadata().getResourceVersion();
              if (!now.equals(last.getAndSet(now))) {
                since.set(System.nanoTime());
              }
              return System.nanoTime() - since.get() > Duration.ofSeconds(2).toNanos();
            });
  }

  /** Deletes the endpoint and waits until its finalizer has run and it is gone. */
  void deleteAndAwaitGone(String endpoint) {
    client.resources(ModelEndpoint.class).inNamespace(ns).withName(endpoint).delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(endpoint(endpoint)).isNull());
  }

  void awaitReadyReason(String endpoint, String reason) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(endpointCondition(endpoint, "Ready"))
                    .isNotNull()
                    .extracting(Condition::getReason)
                    .isEqualTo(reason));
  }

  void awaitReady(String endpoint) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(endpointCondition(endpoint, "Ready"))
                    .isNotNull()
                    .extracting(Condition::getStatus)
                    .isEqualTo("True"));
  }

  /** The endpoints a policy counts, null before its first status. */
  Integer counted(String policy) {
    RoutingPolicy p = policy(policy);
    return p == null || p.getStatus() == null ? null : p.getStatus().getEndpoints();
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

  static final String AZURE_RG = "rg-mock";

  /** An Azure target in the simulated cloud, with the service principal's Secret. */
  static String azureTarget(String name, String account) {
    return """
          - name: %s
            credentialsSecretRef: {name: azure-sp}
            azure:
              resourceGroup: rg-mock
              account: {name: %s, create: {location: eastus2}}
              deployment:
                model: {name: gpt-4o}
                sku: {name: GlobalStandard, capacity: 5}
        """
        .formatted(name, account);
  }

  /** One Azure target, azure-eastus2, in the account. */
  static String azureOnly(String account) {
    return "model: gpt-4o\ntargets:\n" + azureTarget("azure-eastus2", account);
  }

  @Test
  void anAzureEndpointIsProvisionedPublishedAndReportedReady() throws Exception {
    client.resource(endpoint(ns, "chat", azureOnly(ns + "-chat"))).create();

    awaitReady("chat");
    ModelEndpoint chat = endpoint("chat");
    Map<String, Condition> conditions = conditions(chat.getStatus().getConditions());
    assertThat(conditions.keySet())
        .containsExactlyInAnyOrder("Ready", "TargetsReady", "EndpointPublished", "Degraded");
    assertThat(conditions.get("Ready").getReason()).isEqualTo("Serving");
    assertThat(conditions.get("Ready").getMessage())
        .isEqualTo("Serving through azure-eastus2 (priority 1).");
    assertThat(conditions.get("TargetsReady").getReason()).isEqualTo("AllTargetsReady");
    assertThat(conditions.get("EndpointPublished").getStatus()).isEqualTo("True");
    assertThat(conditions.get("Degraded").getStatus()).isEqualTo("False");
    assertThat(conditions.values())
        .allSatisfy(
            c ->
                assertThat(c.getObservedGeneration())
                    .isEqualTo(chat.getMetadata().getGeneration()));
    assertThat(chat.getStatus().getActiveTarget()).isEqualTo("azure-eastus2");
    assertThat(chat.getStatus().getTargetsReady()).isEqualTo("1/1");
    assertThat(chat.getStatus().getEndpoint().getUrl())
        .isEqualTo("http://chat." + ns + ".svc.cluster.local/v1");
    TargetStatus target = chat.getStatus().getTargets().get(0);
    assertThat(target.getState()).isEqualTo(TargetState.Ready);
    assertThat(target.getResourceId())
        .endsWith("/accounts/" + ns + "-chat/deployments/" + ns + "_chat_azure-eastus2");
    assertThat(target.getModelVersion()).isEqualTo("2024-11-20");
    assertThat(target.getRateLimits()).isNotEmpty();
    assertThat(target.getCredentials().getName()).isEqualTo("key1");

    Secret secret = client.secrets().inNamespace(ns).withName("chat-endpoint").get();
    Map<String, String> data = decode(secret);
    assertThat(data)
        .containsEntry("OPENAI_BASE_URL", "http://chat." + ns + ".svc.cluster.local/v1")
        .containsEntry("OPENAI_MODEL", "gpt-4o")
        .containsEntry("CROSSWIND_TARGET", "azure-eastus2");
    assertThat(data.get("OPENAI_API_KEY")).startsWith("cw-");
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(chat.getMetadata().getUid()));
    var service = client.services().inNamespace(ns).withName("chat").get();
    assertThat(service.getSpec().getType()).isEqualTo("ExternalName");
    assertThat(service.getSpec().getExternalName())
        .isEqualTo("crosswind-gateway." + operatorNs + ".svc.cluster.local");

    RouteTable table =
        RouteTables.read(
            decode(
                    client
                        .secrets()
                        .inNamespace(operatorNs)
                        .withName("crosswind-routes-" + ns + ".chat")
                        .get())
                .get("routes.json")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(table.active()).isEqualTo("azure-eastus2");
    assertThat(table.endpointKeySha256())
        .isEqualTo(EndpointKeys.sha256Hex(data.get("OPENAI_API_KEY")));
    RouteTable.Route route = table.route("azure-eastus2").orElseThrow();
    assertThat(route.upstreamModel()).isEqualTo(ns + "_chat_azure-eastus2");
    assertThat(chatStatus(route)).as("the published key works on the data plane").isEqualTo(200);

    assertThat(target.getHealth())
        .as("probing is off in this test")
        .isEqualTo(TargetHealth.Unknown);
    assertThat(eventsFor("chat"))
        .extracting(Event::getReason)
        .contains("AccountCreating", "DeploymentCreating", "Serving");
  }

  static Map<String, String> decode(Secret secret) {
    return secret.getData().entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e ->
                    new String(
                        java.util.Base64.getDecoder().decode(e.getValue()),
                        java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void aCircuitTheGatewayReportsOpenMovesTrafficWithoutAnyProbe() {
    // Probes are off here (--probe-interval=0s): only the gateway's report can move the endpoint.
    String second = azureOnly(ns + "-a") + azureTarget("azure-b", ns + "-b");
    client.resource(endpoint(ns, "chat", second)).create();
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(endpoint("chat").getStatus().getTargetsReady()).isEqualTo("2/2"));
    assertThat(endpoint("chat").getStatus().getActiveTarget()).isEqualTo("azure-eastus2");

    client
        .configMaps()
        .inNamespace(operatorNs)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("crosswind-gateway-circuits-gw-0")
                .withLabels(
                    Map.of(
                        "app.kubernetes.io/managed-by", "crosswind",
                        "app.kubernetes.io/component", "gateway-circuits"))
                .endMetadata()
                .withData(
                    Map.of(
                        "circuits.json",
                        "{\"circuits\": [{\"endpoint\": \""
                            + ns
                            + "/chat\", \"target\": \"azure-eastus2\", \"cause\": \"Failures\","
                            + " \"failures\": 5, \"openUntil\": \""
                            + java.time.Instant.now().plusSeconds(300)
                            + "\"}]}"))
                .build())
        .create();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(endpoint("chat").getStatus().getActiveTarget()).isEqualTo("azure-b"));
    TargetStatus failing =
        endpoint("chat").getStatus().getTargets().stream()
            .filter(t -> t.getName().equals("azure-eastus2"))
            .findFirst()
            .orElseThrow();
    assertThat(failing.getHealth()).isEqualTo(TargetHealth.Unhealthy);
    assertThat(failing.getMessage())
        .startsWith("Requests through the gateway failed 5 times in a row; 1 gateway replica");
    await()
        .untilAsserted(
            () ->
                assertThat(eventsFor("chat"))
                    .filteredOn(e -> "FailedOver".equals(e.getReason()))
                    .extracting(Event::getMessage)
                    .anySatisfy(
                        m ->
                            assertThat(m)
                                .startsWith(
                                    "Traffic moved from azure-eastus2 to azure-b after 5 requests"
                                        + " in a row through the gateway failed on azure-eastus2")));
  }

  /** The endpoint's route to its target, as the gateway reads it. */
  RouteTable.Route route(String endpoint, String target) {
    Secret table =
        client
            .secrets()
            .inNamespace(operatorNs)
            .withName("crosswind-routes-" + ns + "." + endpoint)
            .get();
    return RouteTables.read(
            decode(table).get("routes.json").getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .route(target)
        .orElseThrow();
  }

  /** What Azure OpenAI answers a chat completion sent with the route's key. */
  int chatStatus(RouteTable.Route route) throws Exception {
    return HttpClient.newBuilder()
        .sslContext(sim.certificates().clientSslContext())
        .build()
        .send(
            HttpRequest.newBuilder(URI.create(route.url() + "/chat/completions"))
                .header("api-key", route.credential().value())
                .header("content-type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\""
                            + route.upstreamModel()
                            + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void aRotationInASharedAccountMovesEveryEndpointOfTheAccountBeforeTheOldKeyGoes()
      throws Exception {
    // Probes are off: only the wake-ups move the other endpoint.
    String account = ns + "-shared";
    client.resource(endpoint(ns, "one", azureOnly(account))).create();
    awaitReady("one");
    client.resource(endpoint(ns, "two", azureOnly(account))).create();
    awaitReady("two");
    RouteTable.Route before = route("two", "azure-eastus2");
    assertThat(chatStatus(before)).isEqualTo(200);

    client
        .resources(ModelEndpoint.class)
        .inNamespace(ns)
        .withName("one")
        .edit(
            e -> {
              e.getMetadata().setAnnotations(Map.of(ModelEndpoint.ROTATE_CREDENTIALS, "r1"));
              return e;
            });

    // Until the rotation is done, whatever two publishes works, every time it is looked at.
    List<Integer> statuses = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              statuses.add(chatStatus(route("two", "azure-eastus2")));
              return eventsFor("one").stream()
                  .anyMatch(e -> "CredentialsRotated".equals(e.getReason()));
            });
    statuses.add(chatStatus(route("two", "azure-eastus2")));
    assertThat(statuses).as("two's published key, sampled through the rotation").containsOnly(200);
    RouteTable.Route after = route("two", "azure-eastus2");
    assertThat(after.credential().value()).isNotEqualTo(before.credential().value());
    assertThat(after.credential().value())
        .isEqualTo(route("one", "azure-eastus2").credential().value());
    assertThat(chatStatus(before)).as("the old key is gone").isEqualTo(401);
    assertThat(eventsFor("two"))
        .extracting(Event::getReason)
        .contains("CredentialsSwitched")
        .doesNotContain("CredentialsReplaced");
  }

  @Test
  void anEndpointFollowsItsPolicyAsThePolicyAppears() {
    client
        .resource(endpoint(ns, "chat", UNPROVISIONABLE + "routingPolicyRef: {name: aws-first}"))
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
            policy(ns, "aws-first", "targets: [{provider: Bedrock}, {provider: AzureOpenAI}]"))
        .create();

    await()
        .untilAsserted(
            () ->
                assertThat(endpointCondition("chat", "Ready").getReason())
                    .isNotEqualTo("RoutingPolicyNotFound"));
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
  void policyCountsTheEndpointsThatUseIt() {
    client.resource(policy(ns, "shared", "targets: [{provider: Bedrock}]")).create();
    client
        .resource(endpoint(ns, "a", UNPROVISIONABLE + "routingPolicyRef: {name: shared}"))
        .create();
    client
        .resource(endpoint(ns, "b", UNPROVISIONABLE + "routingPolicyRef: {name: shared}"))
        .create();
    client.resource(endpoint(ns, "c", UNPROVISIONABLE)).create();

    await().untilAsserted(() -> assertThat(counted("shared")).isEqualTo(2));

    client.resources(ModelEndpoint.class).inNamespace(ns).withName("a").delete();

    await().untilAsserted(() -> assertThat(counted("shared")).isEqualTo(1));
  }

  @Test
  void aPolicyAnEndpointLeavesStopsCountingIt() {
    client.resource(policy(ns, "first", "targets: [{provider: Bedrock}]")).create();
    client.resource(policy(ns, "second", "targets: [{provider: Bedrock}]")).create();
    client
        .resource(endpoint(ns, "a", UNPROVISIONABLE + "routingPolicyRef: {name: first}"))
        .create();
    await().untilAsserted(() -> assertThat(counted("first")).isEqualTo(1));

    client
        .resources(ModelEndpoint.class)
        .inNamespace(ns)
        .withName("a")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"spec\":{\"routingPolicyRef\":{\"name\":\"second\"}}}");

    await()
        .untilAsserted(
            () -> {
              assertThat(counted("second")).isEqualTo(1);
              assertThat(counted("first")).isEqualTo(0);
            });
  }

  @Test
  void deletingAnEndpointRunsItsFinalizerAndRemovesIt() {
    client.resource(endpoint(ns, "chat", UNPROVISIONABLE)).create();
    await()
        .untilAsserted(
            () -> assertThat(endpoint("chat").getMetadata().getFinalizers()).isNotEmpty());

    client.resources(ModelEndpoint.class).inNamespace(ns).withName("chat").delete();

    await().untilAsserted(() -> assertThat(endpoint("chat")).isNull());
  }

  @Test
  void theOperatorNeverWritesSpecAndIsQuietWhenNothingChanges() {
    ModelEndpoint created =
        client.resource(endpoint(ns, "chat", azureOnly(ns + "-quiet"))).create();
    awaitReady("chat");
    // The reconciles that follow the first Ready (the route table's own watch event, say) may
    // still write status once: quiet means quiet after that.
    awaitSettled("chat");
    int eventsBefore = eventsFor("chat").size();
    sim.calls().reset();

    // A label change is not a new generation: nothing to reconcile, nothing to write.
    client
        .resources(ModelEndpoint.class)
        .inNamespace(ns)
        .withName("chat")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"team\":\"payments\"}}}");
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
    assertThat(eventsFor("chat")).hasSize(eventsBefore);
    assertThat(sim.calls().mutating()).as("no mutating cloud call").isZero();
  }

  @Test
  void aServiceSomeoneElseMadeIsNeverTakenOverAndTheEndpointSaysWhy() {
    var theirs =
        client
            .services()
            .inNamespace(ns)
            .resource(
                new io.fabric8.kubernetes.api.model.ServiceBuilder()
                    .withNewMetadata()
                    .withName("chat")
                    .endMetadata()
                    .withNewSpec()
                    .addToSelector("app", "their-chat")
                    .addNewPort()
                    .withPort(8080)
                    .endPort()
                    .endSpec()
                    .build())
            .create();

    client.resource(endpoint(ns, "chat", azureOnly(ns + "-theirs"))).create();

    awaitReadyReason("chat", "NameTaken");
    assertThat(endpointCondition("chat", "Ready").getMessage())
        .isEqualTo(
            "A Service named chat exists in namespace "
                + ns
                + " that this ModelEndpoint did not create; Crosswind does not take it over."
                + " Delete or rename that Service, or give the ModelEndpoint another name.");
    assertThat(eventsFor("chat"))
        .extracting(Event::getType, Event::getReason)
        .contains(org.assertj.core.groups.Tuple.tuple("Warning", "NameTaken"));
    var after = client.services().inNamespace(ns).withName("chat").get();
    assertThat(after.getMetadata().getResourceVersion())
        .as("their Service is untouched")
        .isEqualTo(theirs.getMetadata().getResourceVersion());

    deleteAndAwaitGone("chat");
    assertThat(client.services().inNamespace(ns).withName("chat").get())
        .as("the endpoint's deletion leaves their Service")
        .isNotNull()
        .extracting(s -> s.getMetadata().getResourceVersion())
        .isEqualTo(theirs.getMetadata().getResourceVersion());
  }

  @Test
  void endpointsWhoseNamesOnceSharedARouteTableBothServe() {
    // ns/prod-chat and (ns-prod)/chat: Crosswind 0.1 gave both the route table
    // crosswind-routes-<ns>-prod-chat; now each has its own.
    client.resource(endpoint(ns, "prod-chat", azureOnly(ns + "-first"))).create();
    awaitReady("prod-chat");
    Secret first = routeTable(ns, "prod-chat");

    client.resource(endpoint(ns + "-prod", "chat", azureOnly(ns + "-second"))).create();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              ModelEndpoint second =
                  client
                      .resources(ModelEndpoint.class)
                      .inNamespace(ns + "-prod")
                      .withName("chat")
                      .get();
              assertThat(second.getStatus()).isNotNull();
              Condition ready = conditions(second.getStatus().getConditions()).get("Ready");
              assertThat(ready.getStatus()).isEqualTo("True");
            });
    Secret second = routeTable(ns + "-prod", "chat");
    assertThat(first.getMetadata().getName()).isEqualTo("crosswind-routes-" + ns + ".prod-chat");
    assertThat(second.getMetadata().getName()).isEqualTo("crosswind-routes-" + ns + "-prod.chat");
    assertThat(decode(second).get("endpoint-key"))
        .as("each endpoint has a key of its own")
        .isNotEqualTo(decode(first).get("endpoint-key"));
    assertThat(routeTable(ns, "prod-chat").getData())
        .as("the first endpoint's route table is untouched")
        .isEqualTo(first.getData());
    assertThat(endpointCondition("prod-chat", "Ready").getStatus()).isEqualTo("True");
  }

  @Test
  void aRouteTableUnderTheNameCrosswind01GaveItMovesWithItsEndpointKey(TestInfo test)
      throws IOException {
    client.resource(endpoint(ns, "chat", azureOnly(ns + "-chat"))).create();
    awaitReady("chat");
    String applicationKey =
        decode(client.secrets().inNamespace(ns).withName("chat-endpoint").get())
            .get("OPENAI_API_KEY");

    // What an operator of 0.1 left behind: the same table, under crosswind-routes-<ns>-chat.
    operator.close();
    Secret current = routeTable(ns, "chat");
    String legacyName = "crosswind-routes-" + ns + "-chat";
    client
        .secrets()
        .inNamespace(operatorNs)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(legacyName)
                .withLabels(current.getMetadata().getLabels())
                .endMetadata()
                .withData(current.getData())
                .build())
        .create();
    client.secrets().inNamespace(operatorNs).resource(current).delete();
    await()
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .secrets()
                            .inNamespace(operatorNs)
                            .withName(current.getMetadata().getName())
                            .get())
                    .isNull());

    startOperator(test);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(client.secrets().inNamespace(operatorNs).withName(legacyName).get())
                  .as("the old Secret is gone")
                  .isNull();
              assertThat(routeTable(ns, "chat")).isNotNull();
            });
    assertThat(decode(routeTable(ns, "chat")).get("endpoint-key"))
        .as("the key applications hold moved with the table")
        .isEqualTo(applicationKey);
    assertThat(
            decode(client.secrets().inNamespace(ns).withName("chat-endpoint").get())
                .get("OPENAI_API_KEY"))
        .isEqualTo(applicationKey);
    assertThat(endpointCondition("chat", "Ready").getStatus()).isEqualTo("True");
  }

  @Test
  void aRouteTableMovesToItsOwnNamespaceWithItsEndpointKey() throws IOException {
    client.resource(endpoint(ns, "chat", azureOnly(ns + "-moves"))).create();
    awaitReady("chat");
    Secret before = routeTable(ns, "chat");
    String routes = ns + "-routes";
    Resources.namespace(client, routes);

    restartOperatorWith("--route-table-namespace=" + routes);

    Secret[] moved = new Secret[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              moved[0] =
                  client
                      .secrets()
                      .inNamespace(routes)
                      .withName("crosswind-routes-" + ns + ".chat")
                      .get();
              assertThat(moved[0]).isNotNull();
              assertThat(routeTable(ns, "chat")).as("gone from the operator namespace").isNull();
            });
    assertThat(decode(moved[0]).get("endpoint-key"))
        .as("the key applications hold moved with the table")
        .isEqualTo(decode(before).get("endpoint-key"));
    assertThat(decode(moved[0]).get("routes.json")).isEqualTo(decode(before).get("routes.json"));
    assertThat(endpointCondition("chat", "Ready").getStatus()).isEqualTo("True");
  }

  @Test
  void aCredentialsSecretStaysUntilItsEndpointHasCleanedUpWithIt() {
    client.resource(endpoint(ns, "chat", azureOnly(ns + "-inuse"))).create();
    awaitReady("chat");
    await()
        .untilAsserted(
            () ->
                assertThat(azureSp().getMetadata().getFinalizers())
                    .contains("crosswind.io/in-use"));

    // A namespace deletion may remove the Secret before the endpoint: it stays while needed.
    client.secrets().inNamespace(ns).withName("azure-sp").delete();
    assertThat(azureSp()).as("held by the in-use finalizer").isNotNull();
    assertThat(azureSp().getMetadata().getDeletionTimestamp()).isNotNull();
    sim.calls().reset();

    deleteAndAwaitGone("chat");

    assertThat(sim.calls().count(io.crosswind.simulators.core.Service.ARM, "DeleteDeployment"))
        .as("the endpoint reached the cloud with the Secret's credentials to clean up")
        .isPositive();
    await().untilAsserted(() -> assertThat(azureSp()).as("released, then gone").isNull());
  }

  Secret azureSp() {
    return client.secrets().inNamespace(ns).withName("azure-sp").get();
  }

  Secret routeTable(String namespace, String endpoint) {
    return client
        .secrets()
        .inNamespace(operatorNs)
        .withName("crosswind-routes-" + namespace + "." + endpoint)
        .get();
  }

  @Test
  void aSecretSomeoneElseMadeUnderTheEndpointSecretsNameIsNeitherChangedNorDeleted() {
    Secret theirs =
        client
            .secrets()
            .inNamespace(ns)
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName("chat-endpoint")
                    .addToLabels("app", "their-chat")
                    .endMetadata()
                    .addToStringData("OPENAI_API_KEY", "their-own-key")
                    .build())
            .create();

    client.resource(endpoint(ns, "chat", azureOnly(ns + "-secret"))).create();

    awaitReadyReason("chat", "NameTaken");
    assertThat(endpointCondition("chat", "Ready").getMessage())
        .isEqualTo(
            "A Secret named chat-endpoint exists in namespace "
                + ns
                + " that this ModelEndpoint did not create; Crosswind neither changes nor deletes"
                + " it. Delete or rename that Secret, or give the ModelEndpoint another name.");
    assertThat(client.secrets().inNamespace(ns).withName("chat-endpoint").get())
        .as("their Secret is untouched")
        .extracting(s -> s.getMetadata().getResourceVersion())
        .isEqualTo(theirs.getMetadata().getResourceVersion());

    deleteAndAwaitGone("chat");
    assertThat(client.secrets().inNamespace(ns).withName("chat-endpoint").get())
        .as("the endpoint's deletion leaves their Secret")
        .isNotNull()
        .extracting(s -> s.getMetadata().getResourceVersion())
        .isEqualTo(theirs.getMetadata().getResourceVersion());
  }

  @Test
  void opsServerAnswersHealthReadinessAndPrometheusMetrics() throws Exception {
    client.resource(endpoint(ns, "chat", UNPROVISIONABLE)).create();
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
