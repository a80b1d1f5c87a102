package io.crosswind.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.gateway.CrosswindGateway;
import io.crosswind.gateway.GatewayConfig;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole path on the real API server: the operator publishes route tables, the gateway reads
 * them from its namespace's Secrets, and an application with nothing but the endpoint Secret's
 * variables is served by each cloud, streamed and not, and by the other cloud when one fails. The
 * gateway's address stands in for the endpoint Service, whose DNS name leads to it in a cluster.
 */
@ExtendWith(RealCluster.class)
class GatewayE2ETest {

  static OperatedNamespace user;
  static CrosswindGateway gateway;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static final String ENDPOINT =
      """
      apiVersion: crosswind.io/v1alpha1
      kind: ModelEndpoint
      metadata:
        name: %s
      spec:
        model: %s
        targets:
      %s
      """;

  static final String BEDROCK =
      """
          - name: bedrock-use1
            bedrock: {region: us-east-1, modelId: openai.gpt-oss-120b-1:0}
      """;

  static final String AZURE =
      """
          - name: azure-eastus2
            azure:
              resourceGroup: rg-gateway
              account: {name: acct-%s, create: {location: eastus2}}
              deployment:
                model: {name: gpt-4o}
                sku: {name: GlobalStandard, capacity: 5}
      """;

  static final String CLAUDE =
      """
          - name: claude-us
            bedrock:
              region: us-east-1
              modelId: anthropic.claude-sonnet-4-5-20250929-v1:0
              crossRegion: us
      """;

  static final String MANTLE =
      """
          - name: bedrock-mantle
            bedrock:
              region: us-east-1
              modelId: openai.gpt-oss-120b-1:0
              openAiEndpoint: Mantle
      """;

  @BeforeAll
  static void start() throws Exception {
    user = OperatedNamespace.create("gateway-e2e", "crosswind-gateway-e2e", Set.of("rg-gateway"));
    SimulatedClouds.operatorIdentity(user.clouds);
    user.startOperator("gateway-e2e");
    Path ca =
        user.clouds.certificates().writeCaPem(Files.createTempFile("crosswind-gateway", ".pem"));
    gateway =
        CrosswindGateway.start(
            GatewayConfig.parse(
                "--namespace=crosswind-gateway-e2e",
                "--address=127.0.0.1",
                "--port=0",
                "--ops-address=127.0.0.1",
                "--ops-port=0",
                "--breaker-failures=2",
                "--replica-name=gateway-e2e-0",
                "--upstream-ca-file=" + ca),
            user.cluster.adminClient());
    user.apply(ENDPOINT.formatted("both", "gpt-oss-120b", BEDROCK + AZURE.formatted("both")));
    // Bedrock in its own region, so that its outage leaves the other endpoints alone.
    user.apply(
        ENDPOINT.formatted(
            "outage",
            "gpt-oss-120b",
            BEDROCK.replace("us-east-1", "us-west-2").replace("bedrock-use1", "bedrock-usw2")
                + AZURE.formatted("outage")));
    user.apply(ENDPOINT.formatted("claude", "claude", CLAUDE));
    user.apply(ENDPOINT.formatted("mantle", "gpt-oss-120b", MANTLE));
    user.awaitReason("both", "Serving", Duration.ofSeconds(90));
    user.awaitReason("outage", "Serving", Duration.ofSeconds(90));
    user.awaitReason("claude", "Serving", Duration.ofSeconds(90));
    user.awaitReason("mantle", "Serving", Duration.ofSeconds(90));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                user.get("both").getStatus().getTargetsReady().equals("2/2")
                    && user.get("outage").getStatus().getTargetsReady().equals("2/2"));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (user != null) {
      user.close();
    }
  }

  @AfterEach
  void restoreClouds() {
    user.resetClouds();
  }

  /**
   * What an OpenAI SDK sends with the Secret's variables, to the gateway instead of the DNS name:
   * {@code fields} (JSON members after {@code model}) to {@code operation} under the base URL.
   */
  static HttpResponse<String> send(String endpoint, String operation, String fields)
      throws Exception {
    Map<String, String> env = user.endpointSecret(endpoint);
    String path = URI.create(env.get("OPENAI_BASE_URL")).getPath();
    assertThat(path).isEqualTo("/v1");
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + path + "/" + operation))
            .header("Authorization", "Bearer " + env.get("OPENAI_API_KEY"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"" + env.get("OPENAI_MODEL") + "\"," + fields + "}"))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> chat(String endpoint, boolean stream) throws Exception {
    return send(
        endpoint,
        "chat/completions",
        "\"max_tokens\":16,\"stream\":"
            + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]");
  }

  /** A Responses API request, continuing a conversation when given its last response id. */
  static HttpResponse<String> respond(String endpoint, String previousResponseId) throws Exception {
    return send(
        endpoint,
        "responses",
        "\"max_output_tokens\":16,\"input\":\"hello\""
            + (previousResponseId == null
                ? ""
                : ",\"previous_response_id\":\"" + previousResponseId + "\""));
  }

  static void awaitServed(String endpoint) {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(chat(endpoint, false).statusCode()).isEqualTo(200));
  }

  @Test
  void anApplicationWithTheEndpointSecretIsServedByBedrockStreamedAndNot() throws Exception {
    awaitServed("both");

    HttpResponse<String> plain = chat("both", false);
    HttpResponse<String> streamed = chat("both", true);

    assertThat(plain.body()).contains("\"chat.completion\"").contains("bedrock/us-east-1");
    assertThat(streamed.headers().firstValue("content-type").orElse(""))
        .startsWith("text/event-stream");
    assertThat(streamed.body()).contains("chat.completion.chunk").contains("data: [DONE]");
  }

  @Test
  void aBedrockMantleTargetServesAResponsesConversationThroughTheGateway() throws Exception {
    awaitServed("mantle");
    assertThat(user.routeTable("mantle").route("bedrock-mantle").orElseThrow().url())
        .isEqualTo(user.clouds.bedrockMantleEndpoint("us-east-1") + "/v1");

    HttpResponse<String> first = respond("mantle", null);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(first.body())
        .contains("\"object\":\"response\"")
        .contains("bedrock-mantle/us-east-1");
    String id = Serialization.jsonMapper().readTree(first.body()).path("id").asText();
    HttpResponse<String> next = respond("mantle", id);

    assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
    assertThat(next.headers().firstValue("x-crosswind-target")).hasValue("bedrock-mantle");
  }

  @Test
  void aClaudeModelIsServedThroughConverseInOpenAisShape() throws Exception {
    awaitServed("claude");

    HttpResponse<String> plain = chat("claude", false);
    HttpResponse<String> streamed = chat("claude", true);

    assertThat(plain.body()).contains("\"chat.completion\"").contains("\"finish_reason\"");
    assertThat(streamed.body()).contains("chat.completion.chunk").contains("data: [DONE]");
  }

  @Test
  void anOutageIsInvisibleToTheNextRequestAndTheOperatorMovesTheEndpointToo() throws Exception {
    awaitServed("outage");
    assertThat(chat("outage", false).body()).contains("bedrock/us-west-2");

    user.clouds.faults().add(Fault.outage(Service.BEDROCK_RUNTIME, "us-west-2"));

    HttpResponse<String> next = chat("outage", false);
    assertThat(next.statusCode()).as("failed over inside the request").isEqualTo(200);
    assertThat(next.body()).contains("azure-openai/acct-outage");
    // A second request tries Bedrock again before the operator has moved the endpoint: with
    // --breaker-failures=2 that opens the gateway's circuit for it.
    assertThat(chat("outage", false).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(user.routeTable("outage").active()).isEqualTo("azure-eastus2"));
    assertThat(chat("outage", false).statusCode()).isEqualTo(200);

    // The gateway reports the open circuit, and the operator's status says what real traffic saw.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              var report =
                  user.client
                      .configMaps()
                      .inNamespace("crosswind-gateway-e2e")
                      .withName("crosswind-gateway-circuits-gateway-e2e-0")
                      .get();
              assertThat(report).isNotNull();
              assertThat(report.getData().get("circuits.json"))
                  .contains("\"" + user.namespace + "/outage\"")
                  .contains("\"bedrock-usw2\"");
              assertThat(
                      user.get("outage").getStatus().getTargets().stream()
                          .filter(t -> t.getName().equals("bedrock-usw2"))
                          .findFirst()
                          .orElseThrow()
                          .getMessage())
                  .startsWith("Requests through the gateway failed");
            });
  }

  @Test
  void aKeyOfNoEndpointIsRefusedInOpenAisErrorShape() throws Exception {
    HttpResponse<String> refused =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .header("Authorization", "Bearer cw-not-a-key")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-oss-120b\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("\"error\"");
  }
}
