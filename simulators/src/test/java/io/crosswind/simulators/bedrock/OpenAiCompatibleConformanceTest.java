package io.crosswind.simulators.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.SimulatorsExtension;
import io.crosswind.simulators.bedrock.BedrockState.RuntimeQuota;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The OpenAI-compatible Chat Completions and Responses APIs of the Bedrock runtime, called as an
 * OpenAI client would with a short-term Bedrock API key as the bearer token.
 */
class OpenAiCompatibleConformanceTest {

  static final String REGION = "us-east-1";
  static final String GPT_120B = "openai.gpt-oss-120b-1:0";
  static final String GPT_20B = "openai.gpt-oss-20b-1:0";

  @RegisterExtension static SimulatorsExtension clouds = SimulatorsExtension.withDefaults();

  static Simulators sim;
  static HttpClient http;
  static String userKey;

  @BeforeAll
  static void start() {
    sim = clouds.get();
    http = AwsClients.openAiHttp(sim);
    userKey = BedrockTokenGenerator.mint(user(), REGION, Duration.ofHours(12));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/openai/v1", "/v1"})
  void answersChatCompletionsOnBothPaths(String base) throws Exception {
    HttpResponse<String> response =
        post(
            base + "/chat/completions",
            userKey,
            chat(GPT_120B, "Hi from " + base).put("max_tokens", 100));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("object")).isEqualTo("chat.completion");
    assertThat(body.getString("model")).isEqualTo(GPT_120B);
    assertThat(
            body.getJsonArray("choices")
                .getJsonObject(0)
                .getJsonObject("message")
                .getString("content"))
        .contains("Hi from " + base);
    assertThat(body.getJsonObject("usage").getInteger("total_tokens")).isPositive();
  }

  @Test
  void streamsChatCompletionsAsServerSentEvents() throws Exception {
    JsonObject request =
        chat(GPT_20B, "stream me")
            .put("max_tokens", 100)
            .put("stream", true)
            .put("stream_options", new JsonObject().put("include_usage", true));

    HttpResponse<String> response = post("/openai/v1/chat/completions", userKey, request);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    assertThat(response.body())
        .startsWith("data: {")
        .endsWith("data: [DONE]\n\n")
        .contains("\"usage\"");
  }

  static JsonObject weather(String model, String city) {
    return chat(model, city)
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
                                .put(
                                    "parameters",
                                    new JsonObject()
                                        .put("type", "object")
                                        .put(
                                            "properties",
                                            new JsonObject()
                                                .put(
                                                    "city", new JsonObject().put("type", "string")))
                                        .put("required", new JsonArray().add("city"))))));
  }

  @Test
  void aForcedToolChoiceIsAnsweredWithThatToolsCallAndItsResultWithText() throws Exception {
    JsonObject forced =
        weather(GPT_20B, "Paris")
            .put(
                "tool_choice",
                new JsonObject()
                    .put("type", "function")
                    .put("function", new JsonObject().put("name", "get_weather")));

    JsonObject answer =
        new JsonObject(post("/openai/v1/chat/completions", userKey, forced).body())
            .getJsonArray("choices")
            .getJsonObject(0);
    String streamed =
        post("/openai/v1/chat/completions", userKey, forced.copy().put("stream", true)).body();
    JsonObject call = answer.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
    JsonObject result = forced.copy();
    result
        .getJsonArray("messages")
        .add(answer.getJsonObject("message"))
        .add(
            new JsonObject()
                .put("role", "tool")
                .put("tool_call_id", call.getString("id"))
                .put("content", "sunny"));
    JsonObject after =
        new JsonObject(post("/openai/v1/chat/completions", userKey, result).body())
            .getJsonArray("choices")
            .getJsonObject(0);
    HttpResponse<String> unknown =
        post(
            "/openai/v1/chat/completions",
            userKey,
            forced
                .copy()
                .put(
                    "tool_choice",
                    new JsonObject()
                        .put("type", "function")
                        .put("function", new JsonObject().put("name", "nope"))));

    assertThat(answer.getString("finish_reason")).isEqualTo("tool_calls");
    assertThat(call.getJsonObject("function").getString("name")).isEqualTo("get_weather");
    assertThat(new JsonObject(call.getJsonObject("function").getString("arguments")))
        .isEqualTo(new JsonObject().put("city", "Paris"));
    assertThat(streamed)
        .contains("\"tool_calls\":[{\"index\":0,\"id\":\"" + "call_")
        .contains("\"finish_reason\":\"tool_calls\"")
        .endsWith("data: [DONE]\n\n");
    assertThat(after.getString("finish_reason")).isEqualTo("stop");
    assertThat(after.getJsonObject("message").getString("content")).contains("sunny");
    assertThat(unknown.statusCode()).isEqualTo(400);
  }

  @Test
  void streamsAResponseAsOpenAiSpecifiesItsEvents() throws Exception {
    String events =
        post(
                "/openai/v1/responses",
                userKey,
                new JsonObject().put("model", GPT_20B).put("input", "hello").put("stream", true))
            .body();

    java.util.List<JsonObject> data =
        events
            .lines()
            .filter(l -> l.startsWith("data: "))
            .map(l -> new JsonObject(l.substring(6)))
            .toList();
    assertThat(data)
        .extracting(d -> d.getString("type"))
        .startsWith(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta")
        .endsWith(
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed");
    assertThat(data)
        .extracting(d -> d.getInteger("sequence_number"))
        .isSorted()
        .doesNotHaveDuplicates();
    String item = data.get(2).getJsonObject("item").getString("id");
    assertThat(data.subList(3, data.size() - 2))
        .allSatisfy(d -> assertThat(d.getString("item_id")).isEqualTo(item));
  }

  @Test
  void aStringForMessagesIsA400InOpenAisShape() throws Exception {
    HttpResponse<String> response =
        post(
            "/openai/v1/chat/completions",
            userKey,
            new JsonObject().put("model", GPT_20B).put("messages", "hello"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(response.body()).getJsonObject("error").getString("message"))
        .isEqualTo(
            "Invalid type for 'messages': expected an array of objects, but got a string"
                + " instead.");
  }

  @Test
  void acceptsAnInferenceProfileAsTheModel() throws Exception {
    String profile =
        "arn:aws:bedrock:us-east-1:"
            + sim.credentials().awsAccountId()
            + ":inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    HttpResponse<String> response =
        post("/v1/chat/completions", userKey, chat(profile, "hi").put("max_tokens", 50));

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void continuesAResponseFromItsPreviousResponseId() throws Exception {
    HttpResponse<String> first =
        post(
            "/openai/v1/responses",
            userKey,
            new JsonObject()
                .put("model", GPT_120B)
                .put("input", "My name is Ada.")
                .put("max_output_tokens", 100));
    String id = new JsonObject(first.body()).getString("id");
    HttpResponse<String> second =
        post(
            "/v1/responses",
            userKey,
            new JsonObject()
                .put("model", GPT_120B)
                .put("input", "What is my name?")
                .put("previous_response_id", id)
                .put("max_output_tokens", 100));
    HttpResponse<String> unknown =
        post(
            "/v1/responses",
            userKey,
            new JsonObject()
                .put("model", GPT_120B)
                .put("input", "again")
                .put("previous_response_id", "resp_nope"));

    assertThat(first.statusCode()).isEqualTo(200);
    JsonObject followUp = new JsonObject(second.body());
    assertThat(followUp.getString("previous_response_id")).isEqualTo(id);
    assertThat(followUp.getJsonObject("usage").getInteger("input_tokens"))
        .isGreaterThan(
            new JsonObject(first.body()).getJsonObject("usage").getInteger("input_tokens"));
    assertThat(
            followUp
                .getJsonArray("output")
                .getJsonObject(0)
                .getJsonArray("content")
                .getJsonObject(0)
                .getString("text"))
        .contains("What is my name?");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(unknown.body()).getJsonObject("error").getString("code"))
        .isEqualTo("previous_response_not_found");
  }

  @Test
  void rejectsKeysForAnotherRegionExpiredOrMalformed() throws Exception {
    String otherRegion = BedrockTokenGenerator.mint(user(), "us-west-2", Duration.ofHours(1));
    Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
    String expired = BedrockTokenGenerator.mint(user(), REGION, Duration.ofHours(1), twoHoursAgo);
    String tampered = userKey.substring(0, userKey.length() - 8) + "AAAAAAAA";

    for (String key : new String[] {otherRegion, expired, tampered, "bedrock-api-key-bm9wZQ=="}) {
      HttpResponse<String> response =
          post("/v1/chat/completions", key, chat(GPT_20B, "hi").put("max_tokens", 10));
      assertThat(response.statusCode()).as(key).isEqualTo(403);
      assertThat(new JsonObject(response.body()).getJsonObject("error").getString("message"))
          .contains("Authentication failed");
    }
    HttpResponse<String> inItsRegion =
        post(
            "/v1/chat/completions",
            otherRegion,
            chat(GPT_20B, "hi").put("max_tokens", 10),
            "us-west-2");
    assertThat(inItsRegion.statusCode()).isEqualTo(200);
  }

  @Test
  void aKeyFromARoleSessionCarriesItsSessionPolicy() throws Exception {
    String allowOne =
        """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "bedrock:CallWithBearerToken", "Resource": "*"},
          {"Effect": "Allow", "Action": "bedrock:InvokeModel*",
           "Resource": "arn:aws:bedrock:us-east-1::foundation-model/openai.gpt-oss-120b-1:0"}]}
        """;
    String noBearer =
        """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "bedrock:InvokeModel*", "Resource": "*"}]}
        """;
    String limitedKey =
        BedrockTokenGenerator.mint(
            sessionCredentials("key-limited", allowOne), REGION, Duration.ofHours(1));
    String noBearerKey =
        BedrockTokenGenerator.mint(
            sessionCredentials("key-nobearer", noBearer), REGION, Duration.ofHours(1));

    assertThat(
            post("/v1/chat/completions", limitedKey, chat(GPT_120B, "ok").put("max_tokens", 10))
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> other =
        post("/v1/chat/completions", limitedKey, chat(GPT_20B, "no").put("max_tokens", 10));
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.body()).contains("not authorized to perform: bedrock:InvokeModel");
    HttpResponse<String> bearerDenied =
        post("/v1/chat/completions", noBearerKey, chat(GPT_120B, "no").put("max_tokens", 10));
    assertThat(bearerDenied.statusCode()).isEqualTo(403);
    assertThat(bearerDenied.body()).contains("bedrock:CallWithBearerToken");
  }

  @Test
  void throttlesInOpenAisShape() throws Exception {
    sim.bedrock().setRuntimeQuota(REGION, GPT_20B, new RuntimeQuota(1, 1_000_000));
    try {
      HttpResponse<String> last = null;
      for (int i = 0; i < 3; i++) {
        last = post("/v1/chat/completions", userKey, chat(GPT_20B, "hi").put("max_tokens", 10));
        if (last.statusCode() == 429) {
          break;
        }
      }
      assertThat(last.statusCode()).isEqualTo(429);
      JsonObject error = new JsonObject(last.body()).getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("rate_limit_exceeded");
      assertThat(error.getString("message")).contains("Too many requests");
    } finally {
      sim.bedrock().setRuntimeQuota(REGION, GPT_20B, BedrockState.DEFAULT_RUNTIME_QUOTA);
    }
  }

  @Test
  void theMantleEndpointServesTheOpenAiApisWithTheSameKeyApartFromTheRuntime() throws Exception {
    String mantle = sim.bedrockMantleEndpoint(REGION);
    HttpResponse<String> chat =
        send(mantle + "/v1/chat/completions", chat(GPT_120B, "Hi").put("max_tokens", 50));
    HttpResponse<String> responses =
        send(
            mantle + "/v1/responses",
            new JsonObject()
                .put("model", GPT_120B)
                .put("input", "Hi")
                .put("max_output_tokens", 50));
    HttpResponse<String> converse =
        send(mantle + "/model/" + GPT_120B + "/converse", new JsonObject());

    assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
    assertThat(chat.body()).contains("bedrock-mantle/" + REGION);
    assertThat(responses.statusCode()).as(responses.body()).isEqualTo(200);
    assertThat(new JsonObject(responses.body()).getString("object")).isEqualTo("response");
    assertThat(converse.statusCode()).as("Mantle has no Converse").isEqualTo(404);

    sim.faults().add(Fault.outage(Service.BEDROCK_RUNTIME, REGION));
    try {
      assertThat(post("/openai/v1/chat/completions", userKey, chat(GPT_120B, "x")).statusCode())
          .isEqualTo(503);
      assertThat(send(mantle + "/v1/chat/completions", chat(GPT_120B, "x")).statusCode())
          .as("a runtime outage leaves Mantle serving")
          .isEqualTo(200);
    } finally {
      sim.faults().clear();
    }
  }

  static HttpResponse<String> send(String url, JsonObject body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + userKey)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject chat(String model, String text) {
    return new JsonObject()
        .put("model", model)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
  }

  static HttpResponse<String> post(String path, String key, JsonObject body)
      throws IOException, InterruptedException {
    return post(path, key, body, REGION);
  }

  static HttpResponse<String> post(String path, String key, JsonObject body, String region)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(sim.bedrockRuntimeEndpoint(region) + path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static AwsCredentialsIdentity user() {
    return AwsCredentialsIdentity.create(
        sim.credentials().awsAccessKeyId(), sim.credentials().awsSecretAccessKey());
  }

  static AwsCredentialsIdentity sessionCredentials(String name, String policy) {
    var c =
        AwsClients.sts(sim, REGION, AwsClients.user(sim))
            .assumeRole(
                r ->
                    r.roleArn(
                            "arn:aws:iam::"
                                + sim.credentials().awsAccountId()
                                + ":role/crosswind-bedrock")
                        .roleSessionName(name)
                        .policy(policy))
            .credentials();
    AwsSessionCredentials session =
        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
    return session;
  }
}
