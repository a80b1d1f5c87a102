package io.crosswind.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.gateway.upstream.ResponseIds;
import io.crosswind.wire.RouteTable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each upstream through the gateway, streamed and not: Azure OpenAI's v1 API, Bedrock's
 * OpenAI-compatible API, and Bedrock Converse translated both ways, tools and stop reasons
 * included; the Responses API with ids that lead a follow-up back to its target.
 */
class UpstreamsTest extends GatewayTestBase {

  static TestClouds.AzureDeployment azure;
  static String bedrockKey;

  @BeforeAll
  static void start() throws Exception {
    sim = clouds.get();
    azure = TestClouds.azure(sim, "rg-gw", "gw-upstreams");
    bedrockKey = TestClouds.bedrockKey(sim);
    startGateway();
    String runtime = sim.bedrockRuntimeEndpoint(TestClouds.REGION);
    gw.routes(
        "azure.json",
        Routes.table(
            "apps",
            "azure",
            MODEL,
            RouteTable.Strategy.Failover,
            "azure-eastus2",
            "cw-azure",
            Routes.azure("azure-eastus2", azure, 1, 100)));
    gw.routes("bedrock.json", bedrockEndpoint("apps", "cw-bedrock"));
    gw.routes(
        "claude.json",
        Routes.table(
            "apps",
            "claude",
            "claude",
            RouteTable.Strategy.Failover,
            "claude-use1",
            "cw-claude",
            Routes.converse("claude-use1", runtime, TestClouds.SONNET, bedrockKey, 1, 100)));
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.gateway.endpoints().size() == 3);
  }

  /** A Bedrock endpoint of one target, bedrock-use1, on the simulated runtime. */
  static RouteTable bedrockEndpoint(String namespace, String key) {
    return Routes.table(
        namespace,
        "bedrock",
        MODEL,
        RouteTable.Strategy.Failover,
        "bedrock-use1",
        key,
        Routes.bedrock(
            "bedrock-use1",
            sim.bedrockRuntimeEndpoint(TestClouds.REGION),
            TestClouds.GPT_OSS,
            bedrockKey,
            1,
            100));
  }

  static JsonObject chat(String model, String text) {
    return TestClouds.chat(model, text);
  }

  static String content(HttpResponse<String> response) {
    return new JsonObject(response.body())
        .getJsonArray("choices")
        .getJsonObject(0)
        .getJsonObject("message")
        .getString("content");
  }

  /** The JSON data of every SSE event but [DONE]. */
  static List<JsonObject> events(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
    return response
        .body()
        .lines()
        .filter(l -> l.startsWith("data: {"))
        .map(l -> new JsonObject(l.substring(6)))
        .toList();
  }

  static String streamedText(List<JsonObject> events) {
    StringBuilder text = new StringBuilder();
    for (JsonObject e : events) {
      JsonArray choices = e.getJsonArray("choices");
      if (!choices.isEmpty()) {
        text.append(choices.getJsonObject(0).getJsonObject("delta").getString("content", ""));
      }
    }
    return text.toString();
  }

  @Test
  void servesAzureOpenAiWithTheDeploymentAsTheModel() {
    HttpResponse<String> response =
        gw.post("/v1/chat/completions", "cw-azure", chat(MODEL, "hi azure"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-crosswind-target")).hasValue("azure-eastus2");
    assertThat(content(response))
        .startsWith("Hello from azure-openai/gw-upstreams/gpt4o")
        .contains("hi azure");
  }

  @Test
  void streamsAzureOpenAiAsItComes() {
    HttpResponse<String> response =
        gw.post(
            "/v1/chat/completions",
            "cw-azure",
            chat(MODEL, "stream azure")
                .put("stream", true)
                .put("stream_options", new JsonObject().put("include_usage", true)));

    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonObject> events = events(response);
    assertThat(streamedText(events)).contains("stream azure");
    assertThat(events.getLast().getJsonObject("usage").getInteger("total_tokens")).isPositive();
    assertThat(gw.metric("crosswind_gateway_tokens_total{endpoint=\"apps/azure\"")).isPositive();
  }

  @Test
  void servesBedrocksOpenAiCompatibleApiStreamedAndNot() {
    HttpResponse<String> plain =
        gw.post("/v1/chat/completions", "cw-bedrock", chat(MODEL, "hi aws"));
    HttpResponse<String> streamed =
        gw.post(
            "/v1/chat/completions", "cw-bedrock", chat(MODEL, "stream aws").put("stream", true));

    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(content(plain)).startsWith("Hello from bedrock/us-east-1/" + TestClouds.GPT_OSS);
    assertThat(streamed.statusCode()).isEqualTo(200);
    assertThat(streamedText(events(streamed))).contains("stream aws");
  }

  @Test
  void translatesConverseBothWays() {
    JsonObject request =
        chat("claude", "hi claude")
            .put(
                "messages",
                new JsonArray()
                    .add(new JsonObject().put("role", "system").put("content", "Be brief."))
                    .add(new JsonObject().put("role", "user").put("content", "hi claude")));

    HttpResponse<String> response = gw.post("/v1/chat/completions", "cw-claude", request);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("object")).isEqualTo("chat.completion");
    assertThat(body.getString("model")).isEqualTo("claude");
    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");
    assertThat(choice.getJsonObject("message").getString("content"))
        .startsWith("Hello from bedrock/us-east-1/" + TestClouds.SONNET)
        .contains("hi claude");
    JsonObject usage = body.getJsonObject("usage");
    assertThat(usage.getInteger("total_tokens"))
        .isEqualTo(usage.getInteger("prompt_tokens") + usage.getInteger("completion_tokens"));
  }

  @Test
  void streamsConverseAsChatCompletionChunks() {
    HttpResponse<String> response =
        gw.post(
            "/v1/chat/completions",
            "cw-claude",
            chat("claude", "stream claude")
                .put("stream", true)
                .put("stream_options", new JsonObject().put("include_usage", true)));

    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonObject> events = events(response);
    assertThat(
            events
                .getFirst()
                .getJsonArray("choices")
                .getJsonObject(0)
                .getJsonObject("delta")
                .getString("role"))
        .isEqualTo("assistant");
    assertThat(streamedText(events)).startsWith("Hello from bedrock").contains("stream claude");
    assertThat(events)
        .anySatisfy(
            e ->
                assertThat(
                        e.getJsonArray("choices").isEmpty()
                            ? null
                            : e.getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
                    .isEqualTo("stop"));
    assertThat(events.getLast().getJsonObject("usage").getInteger("completion_tokens"))
        .isPositive();
  }

  static JsonObject weatherTools(JsonObject request) {
    return request
        .put(
            "tools",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("type", "function")
                        .put(
                            "function",
                            new JsonObject()
                                .put("name", "get_weather")
                                .put("description", "Weather of a city")
                                .put(
                                    "parameters",
                                    new JsonObject()
                                        .put("type", "object")
                                        .put(
                                            "properties",
                                            new JsonObject()
                                                .put(
                                                    "city", new JsonObject().put("type", "string")))
                                        .put("required", new JsonArray().add("city"))))))
        .put("tool_choice", "required");
  }

  @Test
  void translatesToolCallsAndToolResultsThroughConverse() {
    HttpResponse<String> call =
        gw.post("/v1/chat/completions", "cw-claude", weatherTools(chat("claude", "Paris")));

    assertThat(call.statusCode()).isEqualTo(200);
    JsonObject choice = new JsonObject(call.body()).getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
    JsonObject message = choice.getJsonObject("message");
    assertThat(message.getValue("content")).isNull();
    JsonObject toolCall = message.getJsonArray("tool_calls").getJsonObject(0);
    assertThat(toolCall.getString("type")).isEqualTo("function");
    assertThat(toolCall.getJsonObject("function").getString("name")).isEqualTo("get_weather");
    assertThat(new JsonObject(toolCall.getJsonObject("function").getString("arguments")))
        .isEqualTo(new JsonObject().put("city", "Paris"));

    JsonObject followUp = weatherTools(chat("claude", "Paris")).put("tool_choice", "auto");
    followUp
        .getJsonArray("messages")
        .add(message)
        .add(
            new JsonObject()
                .put("role", "tool")
                .put("tool_call_id", toolCall.getString("id"))
                .put("content", "sunny, 21 C"));
    HttpResponse<String> answer = gw.post("/v1/chat/completions", "cw-claude", followUp);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(content(answer)).contains("sunny, 21 C");
  }

  @Test
  void streamsToolCallsThroughConverse() {
    HttpResponse<String> response =
        gw.post(
            "/v1/chat/completions",
            "cw-claude",
            weatherTools(chat("claude", "Lisbon")).put("stream", true));

    List<JsonObject> events = events(response);
    StringBuilder arguments = new StringBuilder();
    String name = null;
    String finish = null;
    for (JsonObject e : events) {
      JsonObject c = e.getJsonArray("choices").getJsonObject(0);
      if (c.getString("finish_reason") != null) {
        finish = c.getString("finish_reason");
      }
      JsonArray calls = c.getJsonObject("delta").getJsonArray("tool_calls");
      if (calls != null) {
        JsonObject function = calls.getJsonObject(0).getJsonObject("function");
        name = function.getString("name", name);
        arguments.append(function.getString("arguments", ""));
        assertThat(calls.getJsonObject(0).getInteger("index")).isZero();
      }
    }
    assertThat(name).isEqualTo("get_weather");
    assertThat(new JsonObject(arguments.toString()))
        .isEqualTo(new JsonObject().put("city", "Lisbon"));
    assertThat(finish).isEqualTo("tool_calls");
  }

  @Test
  void mapsConverseStopReasons() {
    HttpResponse<String> cut =
        gw.post(
            "/v1/chat/completions", "cw-claude", chat("claude", "a long one").put("max_tokens", 2));
    HttpResponse<String> stopped =
        gw.post(
            "/v1/chat/completions",
            "cw-claude",
            chat("claude", "stop here").put("stop", new JsonArray().add("here")));

    assertThat(
            new JsonObject(cut.body())
                .getJsonArray("choices")
                .getJsonObject(0)
                .getString("finish_reason"))
        .isEqualTo("length");
    assertThat(content(cut)).hasSize(8);
    assertThat(
            new JsonObject(stopped.body())
                .getJsonArray("choices")
                .getJsonObject(0)
                .getString("finish_reason"))
        .isEqualTo("stop");
    assertThat(content(stopped)).doesNotContain("here");
  }

  @Test
  void listsTheLogicalModel() {
    HttpResponse<String> models = gw.get("/v1/models", "cw-claude");

    assertThat(models.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(models.body()).getJsonArray("data").getJsonObject(0).getString("id"))
        .isEqualTo("claude");
    assertThat(gw.get("/v1/models/claude", "cw-claude").statusCode()).isEqualTo(200);
    assertThat(gw.get("/v1/models/gpt-4o", "cw-claude").statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @CsvSource({"cw-bedrock, bedrock-use1", "cw-azure, azure-eastus2"})
  void routesAResponsesFollowUpToTheTargetThatHoldsTheConversation(String key, String target) {
    converse(key, target);
  }

  /** A Responses conversation of two turns through the endpoint; the first response's id. */
  static String converse(String key, String target) {
    HttpResponse<String> first =
        gw.post(
            "/v1/responses",
            key,
            new JsonObject()
                .put("model", MODEL)
                .put("input", "My name is Ada.")
                .put("max_output_tokens", 100));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    String id = new JsonObject(first.body()).getString("id");
    assertThat(id).startsWith("resp_cw2");

    HttpResponse<String> second =
        gw.post(
            "/v1/responses",
            key,
            new JsonObject()
                .put("model", MODEL)
                .put("input", "What is my name?")
                .put("previous_response_id", id)
                .put("max_output_tokens", 100)
                .put("stream", true));
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    assertThat(second.headers().firstValue("x-crosswind-target")).hasValue(target);
    // The simulated clouds answer 404 to an id they did not make: the follow-up reached the target
    // that made it, with the id it made, and gets the gateway's tagged ids back.
    assertThat(second.body())
        .contains("\"previous_response_id\":\"" + id + "\"")
        .contains("\"id\":\"resp_cw2");
    return id;
  }

  @Test
  void aResponseIdOfAnotherEndpointIsRefusedEvenWhereItsTargetNameExists() {
    String id = converse("cw-bedrock", "bedrock-use1");
    // Another team's endpoint with a target of the same name, in the same Bedrock account.
    gw.routes("bedrock-other.json", bedrockEndpoint("other-team", "cw-other-team"));
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.gateway.endpoints().size() == 4);
    ResponseIds.Tagged tagged = ResponseIds.untag(id).orElseThrow();
    String unbound =
        "resp_cw1"
            + java.util.HexFormat.of()
                .formatHex("bedrock-use1".getBytes(java.nio.charset.StandardCharsets.UTF_8))
            + "_"
            + tagged.upstreamId();

    for (String stolen : List.of(id, unbound)) {
      HttpResponse<String> refused =
          gw.post(
              "/v1/responses",
              "cw-other-team",
              new JsonObject()
                  .put("model", MODEL)
                  .put("input", "What is my name?")
                  .put("previous_response_id", stolen));
      assertThat(refused.statusCode()).as(stolen).isEqualTo(404);
      JsonObject error = new JsonObject(refused.body()).getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("previous_response_not_found");
      assertThat(error.getString("message"))
          .contains("was not made through endpoint other-team/bedrock");
    }
    gw.removeRoutes("bedrock-other.json");
  }

  @Test
  void saysSoWhenTheTargetOfAConversationIsGone() {
    String id = converse("cw-bedrock", "bedrock-use1");

    // The endpoint's Bedrock target goes away: the gateway says so instead of losing the
    // conversation silently.
    gw.routes(
        "bedrock.json",
        Routes.table(
            "apps",
            "bedrock",
            MODEL,
            RouteTable.Strategy.Failover,
            "azure-eastus2",
            "cw-bedrock",
            Routes.azure("azure-eastus2", azure, 1, 100)));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                gw.gateway
                    .endpoints()
                    .find("cw-bedrock")
                    .orElseThrow()
                    .route("bedrock-use1")
                    .isEmpty());
    try {
      HttpResponse<String> gone =
          gw.post(
              "/v1/responses",
              "cw-bedrock",
              new JsonObject()
                  .put("model", MODEL)
                  .put("input", "again")
                  .put("previous_response_id", id));
      assertThat(gone.statusCode()).isEqualTo(404);
      assertThat(new JsonObject(gone.body()).getJsonObject("error").getString("message"))
          .contains("bedrock-use1")
          .contains("no longer has");
    } finally {
      gw.routes("bedrock.json", bedrockEndpoint("apps", "cw-bedrock"));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  gw.gateway
                      .endpoints()
                      .find("cw-bedrock")
                      .orElseThrow()
                      .route("bedrock-use1")
                      .isPresent());
    }
  }
}
