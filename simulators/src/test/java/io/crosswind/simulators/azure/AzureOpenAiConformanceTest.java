package io.crosswind.simulators.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import com.azure.resourcemanager.cognitiveservices.CognitiveServicesManager;
import com.azure.resourcemanager.cognitiveservices.models.AccountProperties;
import com.azure.resourcemanager.cognitiveservices.models.DeploymentModel;
import com.azure.resourcemanager.cognitiveservices.models.DeploymentProperties;
import com.azure.resourcemanager.cognitiveservices.models.Sku;
import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.SimulatorsExtension;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Azure OpenAI data plane (v1 API and the classic deployment path, per the Azure OpenAI
 * inference specification 2024-10-21 and the v1 preview), driven by a plain HTTP client the way an
 * OpenAI SDK calls it, and Entra tokens for Cognitive Services from azure-identity.
 */
class AzureOpenAiConformanceTest {

  static final String RG = "rg-data";
  @RegisterExtension static SimulatorsExtension clouds = SimulatorsExtension.withResourceGroups(RG);

  static Simulators sim;
  static CognitiveServicesManager manager;
  static HttpClient http;
  static String endpoint;
  static String key;

  @BeforeAll
  static void start() {
    sim = clouds.get();
    manager = AzureClients.manager(sim);
    http = HttpClient.newBuilder().sslContext(sim.certificates().clientSslContext()).build();
    var account =
        manager
            .accounts()
            .define("chat-acct")
            .withExistingResourceGroup(RG)
            .withRegion("swedencentral")
            .withKind("AIServices")
            .withSku(new Sku().withName("S0"))
            .withProperties(new AccountProperties().withCustomSubDomainName("chat-acct"))
            .create();
    endpoint = account.properties().endpoint();
    key = manager.accounts().listKeys(RG, "chat-acct").key1();
    manager
        .deployments()
        .define("gpt4o")
        .withExistingAccount(RG, "chat-acct")
        .withSku(new Sku().withName("GlobalStandard").withCapacity(2))
        .withProperties(
            new DeploymentProperties()
                .withModel(new DeploymentModel().withFormat("OpenAI").withName("gpt-4o")))
        .create();
  }

  static HttpResponse<String> post(String path, String auth, JsonObject body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(endpoint + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (auth.startsWith("Bearer ")) {
      request.header("Authorization", auth);
    } else {
      request.header("api-key", auth);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject chat(String model, int maxTokens) {
    return new JsonObject()
        .put("model", model)
        .put("max_tokens", maxTokens)
        .put(
            "messages",
            new io.vertx.core.json.JsonArray()
                .add(new JsonObject().put("role", "user").put("content", "Say hello")));
  }

  @Test
  void chatCompletionsOnTheV1PathWithAnApiKey() throws Exception {
    HttpResponse<String> response = post("openai/v1/chat/completions", key, chat("gpt4o", 50));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("object")).isEqualTo("chat.completion");
    assertThat(body.getString("model")).isEqualTo("gpt-4o-2024-11-20");
    assertThat(
            body.getJsonArray("choices")
                .getJsonObject(0)
                .getJsonObject("message")
                .getString("content"))
        .contains("azure-openai/chat-acct/gpt4o");
    assertThat(body.getJsonObject("usage").getInteger("total_tokens")).isPositive();
  }

  @Test
  void theV1PathTakesTheAccountKeyAsABearerTokenAsAnOpenAiSdkSendsIt() throws Exception {
    HttpResponse<String> v1 =
        post("openai/v1/chat/completions", "Bearer " + key, chat("gpt4o", 50));
    HttpResponse<String> classic =
        post(
            "openai/deployments/gpt4o/chat/completions?api-version=2024-10-21",
            "Bearer " + key,
            chat("gpt4o", 50));

    assertThat(v1.statusCode()).isEqualTo(200);
    assertThat(classic.statusCode()).isEqualTo(401);
  }

  @Test
  void theClassicDeploymentPathIgnoresTheBodysModelAndNeedsAnApiVersion() throws Exception {
    HttpResponse<String> ok =
        post(
            "openai/deployments/gpt4o/chat/completions?api-version=2024-10-21",
            key,
            chat("whatever", 50));
    HttpResponse<String> noVersion =
        post("openai/deployments/gpt4o/chat/completions", key, chat("whatever", 50));

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(noVersion.statusCode()).isEqualTo(404);
  }

  @Test
  void anEntraTokenForCognitiveServicesIsAcceptedAndAnArmTokenIsNot() throws Exception {
    var credential = AzureClients.clientSecret(sim, sim.credentials().clientSecret());
    String cognitive =
        credential
            .getTokenSync(
                new TokenRequestContext().addScopes("https://cognitiveservices.azure.com/.default"))
            .getToken();
    String arm =
        credential
            .getTokenSync(
                new TokenRequestContext().addScopes("https://management.azure.com/.default"))
            .getToken();

    assertThat(
            post("openai/v1/chat/completions", "Bearer " + cognitive, chat("gpt4o", 10))
                .statusCode())
        .isEqualTo(200);
    assertThat(post("openai/v1/chat/completions", "Bearer " + arm, chat("gpt4o", 10)).statusCode())
        .isEqualTo(401);
  }

  @Test
  void workloadIdentityExchangesAFederatedTokenFile(@TempDir Path dir) throws IOException {
    String claims =
        new JsonObject()
            .put("aud", "api://AzureADTokenExchange")
            .put("iss", "https://oidc.example/cluster")
            .put("sub", "system:serviceaccount:crosswind-system:crosswind-operator")
            .put("exp", Instant.now().plusSeconds(3600).getEpochSecond())
            .encode();
    Path tokenFile = dir.resolve("token");
    Files.writeString(
        tokenFile, b64("{\"alg\":\"RS256\"}") + "." + b64(claims) + "." + b64("signature"));

    var credential =
        new WorkloadIdentityCredentialBuilder()
            .tenantId(sim.credentials().tenantId())
            .clientId(sim.credentials().clientId())
            .tokenFilePath(tokenFile.toString())
            .authorityHost(sim.entraAuthorityHost())
            .disableInstanceDiscovery()
            .httpClient(AzureClients.http(sim))
            .build();

    assertThat(
            credential
                .getTokenSync(
                    new TokenRequestContext().addScopes("https://management.azure.com/.default"))
                .getToken())
        .isNotBlank();
    assertThat(sim.calls().count(Service.ENTRA, "Token")).isEqualTo(1);
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aWrongKeyIs401AndAnUnknownDeploymentIs404InOpenAisErrorShape() throws Exception {
    HttpResponse<String> wrongKey =
        post("openai/v1/chat/completions", "not-the-key", chat("gpt4o", 10));
    HttpResponse<String> unknown = post("openai/v1/chat/completions", key, chat("nope", 10));

    assertThat(wrongKey.statusCode()).isEqualTo(401);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(unknown.body()).getJsonObject("error").getString("code"))
        .isEqualTo("DeploymentNotFound");
  }

  @Test
  void streamsServerSentEventsEndingWithDoneAndUsageWhenAsked() throws Exception {
    JsonObject request =
        chat("gpt4o", 20)
            .put("stream", true)
            .put("stream_options", new JsonObject().put("include_usage", true));

    HttpResponse<String> response = post("openai/v1/chat/completions", key, request);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream");
    var events = response.body().lines().filter(l -> l.startsWith("data: ")).toList();
    assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
    assertThat(new JsonObject(events.get(events.size() - 2).substring(6)).getJsonObject("usage"))
        .isNotNull();
    assertThat(new JsonObject(events.get(0).substring(6)).getString("object"))
        .isEqualTo("chat.completion.chunk");
  }

  @Test
  void theResponsesApiContinuesAConversationFromItsPreviousResponseId() throws Exception {
    JsonObject first =
        new JsonObject(
            post(
                    "openai/v1/responses",
                    key,
                    new JsonObject()
                        .put("model", "gpt4o")
                        .put("input", "My name is Ada.")
                        .put("max_output_tokens", 50))
                .body());
    HttpResponse<String> followUp =
        post(
            "openai/v1/responses",
            "Bearer " + key,
            new JsonObject()
                .put("model", "gpt4o")
                .put("input", "What is my name?")
                .put("previous_response_id", first.getString("id"))
                .put("max_output_tokens", 50)
                .put("stream", true));
    HttpResponse<String> unknown =
        post(
            "openai/v1/responses",
            key,
            new JsonObject()
                .put("model", "gpt4o")
                .put("input", "again")
                .put("previous_response_id", "resp_nope"));

    assertThat(first.getString("object")).isEqualTo("response");
    assertThat(first.getString("model")).isEqualTo("gpt-4o-2024-11-20");
    assertThat(followUp.statusCode()).isEqualTo(200);
    var events = followUp.body().lines().filter(l -> l.startsWith("data: ")).toList();
    JsonObject completed = new JsonObject(events.get(events.size() - 1).substring(6));
    assertThat(completed.getString("type")).isEqualTo("response.completed");
    JsonObject response = completed.getJsonObject("response");
    assertThat(response.getString("previous_response_id")).isEqualTo(first.getString("id"));
    assertThat(response.getJsonObject("usage").getInteger("input_tokens"))
        .isGreaterThan(first.getJsonObject("usage").getInteger("input_tokens"));
    assertThat(followUp.body()).contains("azure-openai/chat-acct/gpt4o");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(unknown.body()).getJsonObject("error").getString("code"))
        .isEqualTo("previous_response_not_found");
  }

  @Test
  void listsTheDeploymentsAsModels() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(endpoint + "openai/v1/models"))
                .header("api-key", key)
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(
            new JsonObject(response.body()).getJsonArray("data").getJsonObject(0).getString("id"))
        .isEqualTo("gpt4o");
  }

  @Test
  void aRequestOverTheTokensPerMinuteIsThrottledWithRetryAfterMs() throws Exception {
    // Capacity 2 is 2,000 tokens per minute, estimated at admission from prompt plus max_tokens.
    HttpResponse<String> tooBig = post("openai/v1/chat/completions", key, chat("gpt4o", 5000));

    assertThat(tooBig.statusCode()).isEqualTo(429);
    assertThat(tooBig.headers().firstValue("retry-after-ms")).isPresent();
    assertThat(tooBig.headers().firstValue("retry-after")).isPresent();
  }

  @Test
  void injectedThrottlingOutageLatencyAndRefusedConnections() throws Exception {
    sim.faults().add(Fault.throttle(Service.AZURE_OPENAI, "chat-acct", 1, Duration.ofMillis(1500)));
    HttpResponse<String> throttled = post("openai/v1/chat/completions", key, chat("gpt4o", 10));
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("retry-after-ms")).contains("1500");
    assertThat(throttled.headers().firstValue("retry-after")).contains("2");

    sim.faults().clear();
    sim.faults().add(Fault.outage(Service.AZURE_OPENAI, "*"));
    assertThat(post("openai/v1/chat/completions", key, chat("gpt4o", 10)).statusCode())
        .isEqualTo(503);

    sim.faults().clear();
    sim.faults().add(Fault.latency(Service.AZURE_OPENAI, "chat-acct", Duration.ofMillis(300)));
    long started = System.nanoTime();
    assertThat(post("openai/v1/chat/completions", key, chat("gpt4o", 10)).statusCode())
        .isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));

    sim.faults().clear();
    sim.faults().add(Fault.error(Service.AZURE_OPENAI, "chat-acct", 0.5, 500));
    assertThat(post("openai/v1/chat/completions", key, chat("gpt4o", 10)).statusCode())
        .isEqualTo(500);
    assertThat(post("openai/v1/chat/completions", key, chat("gpt4o", 10)).statusCode())
        .isEqualTo(200);

    sim.faults().clear();
    sim.refuseConnections(Service.AZURE_OPENAI);
    // A kept-alive connection is cut (IOException); a new one is refused (ConnectException).
    assertThat(catchThrowable(() -> post("openai/v1/chat/completions", key, chat("gpt4o", 10))))
        .isInstanceOf(IOException.class);
    assertThat(catchThrowable(() -> post("openai/v1/chat/completions", key, chat("gpt4o", 10))))
        .isInstanceOf(ConnectException.class);
    sim.restore(Service.AZURE_OPENAI);
    assertThat(post("openai/v1/chat/completions", key, chat("gpt4o", 10)).statusCode())
        .isEqualTo(200);
    assertThat(sim.calls().count(Service.AZURE_OPENAI, "ChatCompletions_Create")).isEqualTo(6);
  }
}
