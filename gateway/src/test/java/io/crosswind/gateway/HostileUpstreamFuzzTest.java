package io.crosswind.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.gateway.fuzz.JsonArbitraries;
import io.crosswind.simulators.core.TestCertificates;
import io.crosswind.wire.RouteTable;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Whatever an upstream answers (JSON of any shape, broken SSE, event-stream frames of any content,
 * garbage) and whatever a client sends, the gateway answers in bounded time, every exchange ends
 * (nothing left in flight), it never answers 500 itself, and no upstream address reaches the
 * client. The upstream is a TLS server of this test that answers each request with what the
 * property drew; the targets are an OpenAI-compatible one and a Converse one.
 */
class HostileUpstreamFuzzTest {

  static final List<String> KEYS =
      List.of(
          // OpenAI chat completions and Responses
          "id",
          "object",
          "model",
          "choices",
          "index",
          "message",
          "delta",
          "content",
          "role",
          "tool_calls",
          "function",
          "arguments",
          "finish_reason",
          "usage",
          "prompt_tokens",
          "completion_tokens",
          "total_tokens",
          "input_tokens",
          "output_tokens",
          "response",
          "type",
          "previous_response_id",
          "error",
          "code",
          // Converse
          "output",
          "text",
          "toolUse",
          "toolUseId",
          "name",
          "input",
          "stopReason",
          "inputTokens",
          "outputTokens",
          "totalTokens",
          "cacheReadInputTokens",
          "start",
          "contentBlockIndex",
          // requests
          "messages",
          "stream",
          "stream_options",
          "include_usage",
          "tools",
          "tool_choice",
          "max_tokens");

  static final List<String> WORDS =
      List.of(
          "assistant",
          "user",
          "chat.completion",
          "response",
          "response.completed",
          "resp_1",
          "resp_cw2x_y_z",
          "end_turn",
          "tool_use",
          "max_tokens",
          "gpt-4o",
          "",
          "{}",
          "[");

  static final JsonArbitraries JSON = new JsonArbitraries(KEYS, WORDS);

  static final List<String> EVENTS =
      List.of(
          "messageStart",
          "contentBlockStart",
          "contentBlockDelta",
          "contentBlockStop",
          "messageStop",
          "metadata",
          "other");

  /** What the upstream answers next: a status, a content type and a body. */
  record Answer(int status, String contentType, byte[] body) {
    @Override
    public String toString() {
      return status + " " + contentType + " " + new String(body, StandardCharsets.UTF_8);
    }
  }

  /** What a client asks: the endpoint's key, the path, and the body. */
  record Ask(String key, String path, String body) {}

  static Vertx vertx;
  static HttpServer upstream;
  static RunningGateway gw;
  static Path dir;
  static final AtomicReference<Answer> next = new AtomicReference<>();
  static final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeContainer
  static void start() throws Exception {
    TestCertificates certificates = TestCertificates.generate();
    vertx = Vertx.vertx();
    upstream =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setHost("127.0.0.1")
                    .setPort(0)
                    .setSsl(true)
                    .setKeyCertOptions(
                        new PemKeyCertOptions()
                            .setCertValue(Buffer.buffer(certificates.serverCertificatePem()))
                            .setKeyValue(Buffer.buffer(certificates.serverKeyPem()))))
            .requestHandler(
                request ->
                    request
                        .body()
                        .onComplete(
                            read -> {
                              Answer answer = next.get();
                              request
                                  .response()
                                  .setStatusCode(answer.status())
                                  .putHeader("Content-Type", answer.contentType())
                                  .end(Buffer.buffer(answer.body()));
                            }))
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    dir = Files.createTempDirectory("hostile-upstream");
    gw =
        RunningGateway.start(
            certificates,
            dir,
            "--breaker-failures=1000000",
            "--max-retry-after=0s",
            "--max-attempts=2",
            "--first-byte-timeout=5s",
            "--deadline=8s");
    String base = "https://127.0.0.1:" + upstream.actualPort();
    gw.routes(
        "openai.json",
        Routes.table(
            "apps",
            "openai",
            GatewayTestBase.MODEL,
            RouteTable.Strategy.Failover,
            "hostile",
            "cw-openai",
            Routes.azure(
                "hostile",
                new TestClouds.AzureDeployment("hostile", base, "key", "gpt-4o"),
                1,
                100)));
    gw.routes(
        "converse.json",
        Routes.table(
            "apps",
            "converse",
            GatewayTestBase.MODEL,
            RouteTable.Strategy.Failover,
            "hostile",
            "cw-converse",
            Routes.converse("hostile", base, "anthropic.claude", "key", 1, 100)));
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.gateway.endpoints().size() == 2);
  }

  @AfterContainer
  static void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  // ---- what the upstream answers ---------------------------------------------------------------

  /**
   * The corpus: valid answers of every kind the gateway reads, which the property mutates, and
   * answers that once broke it.
   */
  static final List<JsonObject> CORPUS = corpus();

  static List<JsonObject> corpus() {
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/fuzz/upstream-answers"))) {
      List<JsonObject> out = new ArrayList<>();
      for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        out.add(new JsonObject(Files.readString(f)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Arbitrary<JsonObject> documents() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of(CORPUS).flatMap(JSON::mutationsOf)),
        Tuple.of(1, Arbitraries.of(CORPUS)),
        Tuple.of(2, JSON.object(4)));
  }

  static Arbitrary<byte[]> jsonBody() {
    return Arbitraries.oneOf(
            documents().map(o -> o.encode()),
            JSON.value(3).map(v -> v == null ? "null" : io.vertx.core.json.Json.encode(v)),
            Arbitraries.strings().ofMaxLength(40))
        .map(s -> s.getBytes(StandardCharsets.UTF_8));
  }

  static Arbitrary<byte[]> sseBody() {
    Arbitrary<String> line =
        Arbitraries.oneOf(
            documents().map(o -> "data: " + o.encode()),
            Arbitraries.just("data: [DONE]"),
            Arbitraries.strings().ofMaxLength(20),
            Arbitraries.just(""));
    return line.list()
        .ofMaxSize(8)
        .map(lines -> (String.join("\n", lines) + "\n\n").getBytes(StandardCharsets.UTF_8));
  }

  static Arbitrary<Message> frame() {
    Arbitrary<Map<String, HeaderValue>> headers =
        Combinators.combine(
                Arbitraries.of("event", "exception", "error", "other"),
                Arbitraries.of(EVENTS),
                Arbitraries.of("throttlingException", "validationException", "x"))
            .as(
                (kind, event, exception) -> {
                  Map<String, HeaderValue> h = new HashMap<>();
                  h.put(":message-type", HeaderValue.fromString(kind));
                  h.put(":event-type", HeaderValue.fromString(event));
                  h.put(":exception-type", HeaderValue.fromString(exception));
                  return h;
                });
    Arbitrary<byte[]> payload =
        Arbitraries.oneOf(
            documents().map(o -> o.encode().getBytes(StandardCharsets.UTF_8)), jsonBody());
    return Combinators.combine(headers, payload).as(Message::new);
  }

  static Arbitrary<byte[]> eventStreamBody() {
    return Combinators.combine(
            frame().list().ofMaxSize(6), Arbitraries.bytes().array(byte[].class).ofMaxSize(12))
        .as(
            (frames, tail) -> {
              ByteBuffer out =
                  ByteBuffer.allocate(
                      frames.stream().mapToInt(f -> f.toByteBuffer().remaining()).sum()
                          + tail.length);
              frames.forEach(f -> out.put(f.toByteBuffer()));
              out.put(tail);
              return out.array();
            });
  }

  @Provide
  Arbitrary<Answer> answers() {
    Arbitrary<Integer> status = Arbitraries.of(200, 200, 200, 201, 400, 404, 429, 500, 503);
    return Arbitraries.oneOf(
        Combinators.combine(status, jsonBody()).as((s, b) -> new Answer(s, "application/json", b)),
        sseBody().map(b -> new Answer(200, "text/event-stream", b)),
        eventStreamBody().map(b -> new Answer(200, "application/vnd.amazon.eventstream", b)));
  }

  // ---- what a client asks ----------------------------------------------------------------------

  static final JsonObject CHAT =
      new JsonObject(
          "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

  @Provide
  Arbitrary<Ask> asks() {
    Arbitrary<String> key = Arbitraries.of("cw-openai", "cw-converse");
    Arbitrary<String> path = Arbitraries.of("/v1/chat/completions", "/v1/responses");
    Arbitrary<String> body =
        Arbitraries.of(false, true)
            .map(
                stream ->
                    CHAT.copy()
                        .put("stream", stream)
                        .put("input", "hi")
                        .put("stream_options", new JsonObject().put("include_usage", stream))
                        .encode());
    return Combinators.combine(key, path, body).as(Ask::new);
  }

  /** Requests of any shape, valid or not, to a healthy upstream. */
  @Provide
  Arbitrary<Ask> hostileAsks() {
    Arbitrary<String> body =
        Arbitraries.oneOf(
            JSON.object(4).map(JsonObject::encode),
            JSON.object(3).map(o -> o.put("model", "gpt-4o").encode()),
            JSON.object(2)
                .list()
                .ofMaxSize(3)
                .map(
                    m ->
                        CHAT.copy()
                            .put("messages", new io.vertx.core.json.JsonArray(List.copyOf(m)))
                            .encode()),
            JSON.value(2).map(v -> v == null ? "null" : io.vertx.core.json.Json.encode(v)),
            Arbitraries.strings().ofMaxLength(30));
    return Combinators.combine(
            Arbitraries.of("cw-openai", "cw-converse"),
            Arbitraries.of("/v1/chat/completions", "/v1/responses"),
            body)
        .as(Ask::new);
  }

  // ---- the properties --------------------------------------------------------------------------

  @Property(tries = 400)
  void anyUpstreamAnswerEndsInBoundedTimeWithoutAGatewayError(
      @ForAll("answers") Answer answer, @ForAll("asks") Ask ask) throws Exception {
    next.set(answer);

    HttpResponse<String> response = send(ask);

    assertEnded(response, answer + " to " + ask);
    if (answer.status() / 100 != 2) {
      assertThat(response.statusCode())
          .as("an upstream's %s is never a success: %s", answer.status(), response.body())
          .isNotEqualTo(200);
    }
  }

  @Property(tries = 400)
  void anyRequestIsAnsweredWithoutAGatewayError(@ForAll("hostileAsks") Ask ask) throws Exception {
    next.set(
        new Answer(
            200,
            "application/json",
            ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                    + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
                    + "\"finish_reason\":\"stop\"}],\"output\":{\"message\":{\"role\":"
                    + "\"assistant\",\"content\":[{\"text\":\"ok\"}]}},\"stopReason\":"
                    + "\"end_turn\"}")
                .getBytes(StandardCharsets.UTF_8)));

    HttpResponse<String> response = send(ask);

    assertEnded(response, ask.toString());
    assertThat(response.statusCode()).as("%s: %s", ask, response.body()).isLessThan(500);
  }

  @Example
  void everyAnswerOfTheCorpusEndsInBoundedTimeWithoutAGatewayError() throws Exception {
    assertThat(CORPUS).hasSizeGreaterThanOrEqualTo(8);
    for (JsonObject document : CORPUS) {
      for (Ask ask : asks().sampleStream().limit(8).toList()) {
        Answer answer =
            new Answer(200, "application/json", document.encode().getBytes(StandardCharsets.UTF_8));
        next.set(answer);
        assertEnded(send(ask), answer + " to " + ask);
      }
    }
  }

  @Example
  void aConverseAnswerOfTheWrongShapeIs502NotAHang() throws Exception {
    next.set(
        new Answer(
            200,
            "application/json",
            "{\"output\":{\"message\":{\"content\":[\"text\"]}}}"
                .getBytes(StandardCharsets.UTF_8)));

    HttpResponse<String> response =
        send(new Ask("cw-converse", "/v1/chat/completions", CHAT.encode()));

    assertThat(response.statusCode()).isEqualTo(502);
    assertEnded(response, "a content block that is a string");
  }

  @Example
  void anOpenAiAnswerWhoseUsageAndIdAreOfTheWrongTypeIsRelayed() throws Exception {
    next.set(
        new Answer(
            200,
            "application/json",
            "{\"id\":1,\"usage\":\"x\"}".getBytes(StandardCharsets.UTF_8)));

    HttpResponse<String> chat = send(new Ask("cw-openai", "/v1/chat/completions", CHAT.encode()));
    HttpResponse<String> responses =
        send(new Ask("cw-openai", "/v1/responses", CHAT.copy().put("input", "hi").encode()));

    assertThat(chat.statusCode()).isEqualTo(200);
    assertThat(chat.body()).isEqualTo("{\"id\":1,\"usage\":\"x\"}");
    assertThat(responses.statusCode()).isEqualTo(200);
    assertEnded(responses, "an id that is a number");
  }

  static HttpResponse<String> send(Ask ask) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create(gw.url(ask.path())))
            .timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + ask.key())
            .POST(HttpRequest.BodyPublishers.ofString(ask.body(), StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static final Set<String> ADDRESSES = Set.of("127.0.0.1", "localhost");

  /**
   * The gateway did not fail itself ({@code gateway_error}), the exchange is over on its side too,
   * and its errors name no upstream address.
   */
  static void assertEnded(HttpResponse<String> response, String what) {
    assertThat(response.body()).as(what).doesNotContain("\"gateway_error\"");
    if (response.statusCode() >= 500) {
      assertThat(ADDRESSES).noneMatch(a -> response.body().contains(a));
      assertThat(response.body()).doesNotContain(String.valueOf(upstream.actualPort()));
    }
    await()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(5))
        .atMost(Duration.ofSeconds(5))
        .until(() -> gw.metric("crosswind_gateway_in_flight ") == 0);
  }
}
