package io.crosswind.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.resourcemanager.cognitiveservices.CognitiveServicesManager;
import com.azure.resourcemanager.cognitiveservices.models.AccountProperties;
import com.azure.resourcemanager.cognitiveservices.models.Sku;
import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.TargetStatus;
import io.crosswind.operator.CrosswindOperator;
import io.crosswind.operator.OperatorConfig;
import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Azure OpenAI targets end to end: the operator on the real API server, the simulated Azure
 * Resource Manager, Entra ID and Azure OpenAI behind the real Azure SDK, resources applied and read
 * with kubectl as a platform team would.
 */
@ExtendWith(RealCluster.class)
class AzureTargetsE2ETest {

  static final String NS = "azure-e2e";
  static final String OPERATOR_NS = "crosswind-azure-e2e";
  static final String RG = "rg-e2e";
  static ControlPlane cluster;
  static KubernetesClient client;
  static Simulators clouds;
  static CognitiveServicesManager azure;
  static Path ca;
  static CrosswindOperator operator;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    cluster = RealCluster.get();
    client = cluster.adminClient();
    Resources.installCrds(client);
    Resources.namespace(client, OPERATOR_NS);
    Resources.namespace(client, NS);
    clouds = SimulatedClouds.start(java.util.Set.of(RG));
    azure = SimulatedClouds.azure(clouds);
    http = HttpClient.newBuilder().sslContext(clouds.certificates().clientSslContext()).build();
    ca = clouds.certificates().writeCaPem(Files.createTempFile("crosswind-azure-e2e", ".pem"));
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("azure-sp")
                .endMetadata()
                .addToStringData("AZURE_TENANT_ID", clouds.credentials().tenantId())
                .addToStringData("AZURE_CLIENT_ID", clouds.credentials().clientId())
                .addToStringData("AZURE_CLIENT_SECRET", clouds.credentials().clientSecret())
                .build())
        .serverSideApply();
    operator = startOperator();
  }

  static CrosswindOperator startOperator() throws Exception {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--operator-namespace=" + OPERATOR_NS,
                "--watch-namespaces=" + NS,
                "--no-leader-election",
                "--cluster-id=e2e",
                "--identity=azure-e2e",
                "--ops-address=127.0.0.1",
                "--ops-port=0",
                "--resync-interval=5s",
                "--probe-interval=2s",
                "--credential-grace=3s"));
    flags.addAll(SimulatedClouds.operatorFlags(clouds, ca));
    return CrosswindOperator.start(
        OperatorConfig.parse(flags.toArray(String[]::new)), cluster.adminClient());
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (clouds != null) {
      clouds.close();
    }
    client.close();
  }

  @BeforeEach
  void resetClouds() {
    clouds.faults().clear();
    clouds.calls().reset();
  }

  @AfterEach
  void clearFaults() {
    clouds.faults().clear();
  }

  /** An endpoint with one Azure target, as a user writes it. */
  static String endpoint(String name, String account, String extra, int capacity) {
    return """
        apiVersion: crosswind.io/v1alpha1
        kind: ModelEndpoint
        metadata:
          name: %s
        spec:
          model: gpt-4o
          targets:
            - name: azure
              credentialsSecretRef: {name: azure-sp}
              azure:
                resourceGroup: rg-e2e
                account: {name: %s, create: {location: eastus2}}
                deployment:
                  model: {name: gpt-4o, version: "2024-11-20"}
                  sku: {name: GlobalStandard, capacity: %d}
        %s
        """
        .formatted(name, account, capacity, extra);
  }

  static ModelEndpoint get(String name) {
    return client.resources(ModelEndpoint.class).inNamespace(NS).withName(name).get();
  }

  static Optional<Condition> ready(String name) {
    ModelEndpoint e = get(name);
    if (e == null || e.getStatus() == null || e.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return e.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst();
  }

  static void awaitReason(String name, String reason) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(ready(name).map(Condition::getReason)).contains(reason));
  }

  static TargetStatus target(String name) {
    return get(name).getStatus().getTargets().get(0);
  }

  static Map<String, String> endpointSecret(String name) {
    Secret s = client.secrets().inNamespace(NS).withName(name + "-endpoint").get();
    return s.getData().entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e -> new String(Base64.getDecoder().decode(e.getValue()), StandardCharsets.UTF_8)));
  }

  /** A chat completion the way an OpenAI SDK sends it with the endpoint Secret's variables. */
  static int chat(Map<String, String> env) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(env.get("OPENAI_BASE_URL") + "/chat/completions"))
            .header("Authorization", "Bearer " + env.get("OPENAI_API_KEY"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\""
                        + env.get("OPENAI_MODEL")
                        + "\",\"max_tokens\":5,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  static String events(String name) {
    return cluster.kubectl(
        "get", "events", "-n", NS, "--field-selector", "involvedObject.name=" + name);
  }

  @Test
  void aDirectEndpointIsCreatedFromNothingAndItsSecretWorksWithAnOpenAiClient() throws Exception {
    cluster.apply(NS, endpoint("direct", "acct-direct", "  endpoint: {mode: Direct}", 10));

    awaitReason("direct", "Serving");

    assertThat(cluster.kubectl("get", "mep", "direct", "-n", NS))
        .containsPattern("direct\\s+gpt-4o\\s+azure\\s+True\\s+Serving");
    TargetStatus status = target("direct");
    assertThat(status.getResourceId())
        .isEqualTo(
            "/subscriptions/"
                + clouds.credentials().subscriptionId()
                + "/resourceGroups/rg-e2e/providers/Microsoft.CognitiveServices/accounts/acct-direct/deployments/azure-e2e-direct-azure");
    assertThat(status.getModelVersion()).isEqualTo("2024-11-20");
    assertThat(status.getRateLimits()).isNotEmpty();
    assertThat(status.getCredentials().getName()).isEqualTo("key1");
    Map<String, String> env = endpointSecret("direct");
    assertThat(env.get("OPENAI_BASE_URL")).endsWith("/acct-direct/openai/v1");
    assertThat(env.get("OPENAI_MODEL")).isEqualTo("azure-e2e-direct-azure");
    assertThat(chat(env)).isEqualTo(200);
    assertThat(client.services().inNamespace(NS).withName("direct").get())
        .as("Direct mode needs no Service")
        .isNull();
    assertThat(azure.accounts().getByResourceGroup(RG, "acct-direct").tags())
        .containsEntry("crosswind.io/owner", "e2e/azure-e2e/direct");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(target("direct").getHealth().name()).isEqualTo("Healthy"));
    assertThat(events("direct")).contains("AccountCreating").contains("DeploymentCreating");
  }

  @Test
  void capacityAndVersionChangesAreAppliedAndDriftIsCorrectedWithAnEvent() {
    cluster.apply(NS, endpoint("resize", "acct-resize", "", 5));
    awaitReason("resize", "Serving");

    cluster.kubectl(
        "patch",
        "mep",
        "resize",
        "-n",
        NS,
        "--type=json",
        "-p",
        "[{\"op\":\"replace\",\"path\":\"/spec/targets/0/azure/deployment/sku/capacity\",\"value\":8}]");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                azure
                        .deployments()
                        .get(RG, "acct-resize", "azure-e2e-resize-azure")
                        .sku()
                        .capacity()
                    == 8);
    awaitReason("resize", "Serving");

    var deployment = azure.deployments().get(RG, "acct-resize", "azure-e2e-resize-azure");
    azure
        .serviceClient()
        .getDeployments()
        .beginCreateOrUpdate(
            RG,
            "acct-resize",
            "azure-e2e-resize-azure",
            deployment.innerModel().withSku(new Sku().withName("GlobalStandard").withCapacity(3)));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(
                      azure
                          .deployments()
                          .get(RG, "acct-resize", "azure-e2e-resize-azure")
                          .sku()
                          .capacity())
                  .isEqualTo(8);
              assertThat(events("resize")).contains("capacity: 3 -> 8");
            });
  }

  @Test
  void aThrottlingStormOnTheManagementApiIsWaitedOutWithoutAHotLoop() {
    clouds.faults().add(Fault.throttle(Service.ARM, "*", 1.0, Duration.ofSeconds(4)));
    cluster.apply(NS, endpoint("storm", "acct-storm", "", 1));

    awaitReason("storm", "Throttled");
    clouds.calls().reset();
    await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(9)).until(() -> true);
    // Retry-After is 4 s: in 8 s the endpoint may look two or three times (each one GET), and
    // the resync of the other endpoints adds their own reads; a hot loop would make hundreds.
    assertThat(clouds.calls().count(Service.ARM, "GetAccount")).isBetween(1L, 30L);
    assertThat(target("storm").getMessage()).contains("429").contains("request id");

    clouds.faults().clear();
    awaitReason("storm", "Serving");
  }

  @Test
  void aFailedLongRunningOperationAndAQuotaErrorAreReportedWithTheProvidersWords() {
    clouds.faults().add(Fault.failedOperations(Service.ARM, "acct-failing"));
    cluster.apply(NS, endpoint("failing", "acct-failing", "", 1));
    cluster.apply(NS, endpoint("greedy", "acct-greedy", "", 5000));

    awaitReason("failing", "AccountFailed");
    awaitReason("greedy", "QuotaExceeded");

    assertThat(cluster.kubectl("get", "mep", "greedy", "-n", NS))
        .containsPattern("greedy\\s+gpt-4o\\s+False\\s+QuotaExceeded");
    assertThat(target("greedy").getMessage()).contains("InsufficientQuota").contains("request id");
    assertThat(events("greedy")).contains("QuotaExceeded");
  }

  @Test
  void anAccountCrosswindDoesNotOwnIsNeverModified() {
    azure
        .accounts()
        .define("acct-theirs")
        .withExistingResourceGroup(RG)
        .withRegion("eastus2")
        .withKind("OpenAI")
        .withSku(new Sku().withName("S0"))
        .withProperties(new AccountProperties().withCustomSubDomainName("acct-theirs"))
        .create();
    clouds.calls().reset();

    cluster.apply(NS, endpoint("squatter", "acct-theirs", "", 1));

    awaitReason("squatter", "NotOwned");
    assertThat(clouds.calls().count(Service.ARM, "CreateOrUpdateAccount")).isZero();
    assertThat(clouds.calls().count(Service.ARM, "CreateOrUpdateDeployment")).isZero();
    assertThat(azure.accounts().getByResourceGroup(RG, "acct-theirs").tags())
        .doesNotContainKey("crosswind.io/owner");
  }

  @Test
  void rotatingTheKeysNeverLeavesThePublishedKeyInvalid() throws Exception {
    cluster.apply(NS, endpoint("rotating", "acct-rotating", "  endpoint: {mode: Direct}", 1));
    awaitReason("rotating", "Serving");
    String before = endpointSecret("rotating").get("OPENAI_API_KEY");

    List<Integer> answers = new CopyOnWriteArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread user =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (running.get()) {
                    try {
                      answers.add(chat(endpointSecret("rotating")));
                      Thread.sleep(50);
                    } catch (Exception e) {
                      answers.add(-1);
                    }
                  }
                });
    try {
      cluster.kubectl(
          "annotate", "mep", "rotating", "-n", NS, "crosswind.io/rotate-credentials=r1");
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(events("rotating")).contains("CredentialsRotated");
                assertThat(target("rotating").getCredentials().getRotatedFor()).isEqualTo("r1");
              });
      Thread.sleep(1000);
    } finally {
      running.set(false);
      user.join();
    }

    String after = endpointSecret("rotating").get("OPENAI_API_KEY");
    assertThat(after).isNotEqualTo(before);
    assertThat(target("rotating").getCredentials().getName()).isEqualTo("key2");
    assertThat(answers).hasSizeGreaterThan(20).containsOnly(200);
    assertThat(azure.accounts().listKeys(RG, "acct-rotating").key1())
        .as("the key published before was regenerated")
        .isNotEqualTo(before);
    assertThat(events("rotating")).contains("CredentialsRotating");
    assertThat(events("rotating")).doesNotContain(after).doesNotContain(before);
  }

  @Test
  void deletionRemovesWhatCrosswindMadeUnlessItIsRetained() {
    cluster.apply(NS, endpoint("doomed", "acct-doomed", "  deletionPolicy: Delete", 1));
    cluster.apply(NS, endpoint("kept", "acct-kept", "  deletionPolicy: Retain", 1));
    awaitReason("doomed", "Serving");
    awaitReason("kept", "Serving");

    cluster.kubectl("delete", "mep", "doomed", "kept", "-n", NS, "--timeout=60s");

    assertThat(get("doomed")).isNull();
    assertThat(get("kept")).isNull();
    assertThat(azure.accounts().listByResourceGroup(RG).stream().map(a -> a.name()))
        .doesNotContain("acct-doomed")
        .contains("acct-kept");
    assertThat(azure.deployments().list(RG, "acct-kept").stream().map(d -> d.name()))
        .containsExactly("azure-e2e-kept-azure");
    assertThat(client.secrets().inNamespace(OPERATOR_NS).list().getItems())
        .extracting(s -> s.getMetadata().getName())
        .doesNotContain("crosswind-routes-azure-e2e-doomed", "crosswind-routes-azure-e2e-kept");
  }

  @Test
  void anOperatorRestartInTheMiddleOfProvisioningCreatesNothingTwice() throws Exception {
    clouds.faults().add(Fault.slowOperations(Service.ARM, "acct-restart", Duration.ofSeconds(6)));
    cluster.apply(NS, endpoint("restart", "acct-restart", "", 1));
    awaitReason("restart", "Provisioning");
    assertThat(target("restart").getReason()).isEqualTo("AccountCreating");

    operator.close();
    operator = startOperator();

    awaitReason("restart", "Serving");
    assertThat(clouds.calls().count(Service.ARM, "CreateOrUpdateAccount")).isEqualTo(1);
    assertThat(clouds.calls().count(Service.ARM, "CreateOrUpdateDeployment")).isEqualTo(1);
  }
}
