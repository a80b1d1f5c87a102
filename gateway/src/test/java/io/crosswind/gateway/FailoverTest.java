package io.crosswind.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import io.crosswind.wire.RouteTable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-request failover before the first byte: each trigger the simulators can inject (refused
 * connection, 5xx, 429 with and without rate-limit headers, timeout), bounded attempts, upstream
 * errors with their status kept, and the circuit that skips a target that keeps failing.
 */
class FailoverTest extends GatewayTestBase {

  static final String[] FLAGS = {
    "--first-byte-timeout=400ms",
    "--breaker-failures=3",
    "--breaker-cool-down=30s",
    "--max-retry-after=0ms",
    // Passive circuit breaking alone, so calls can be counted; one test turns the checks on.
    "--breaker-check-interval=0s"
  };

  static RouteTable azureFirst;
  static RouteTable bedrockFirst;

  @BeforeAll
  static void start() throws Exception {
    sim = clouds.get();
    TestClouds.AzureDeployment azure = TestClouds.azure(sim, "rg-gw", "gw-failover");
    String key = TestClouds.bedrockKey(sim);
    String runtime = sim.bedrockRuntimeEndpoint(TestClouds.REGION);
    startGateway(FLAGS);
    azureFirst =
        Routes.table(
            "apps",
            "failover",
            MODEL,
            RouteTable.Strategy.Failover,
            "azure",
            "cw-failover",
            Routes.azure("azure", azure, 1, 100),
            Routes.bedrock("bedrock", runtime, TestClouds.GPT_OSS, key, 2, 0));
    bedrockFirst =
        Routes.table(
            "apps",
            "reverse",
            MODEL,
            RouteTable.Strategy.Failover,
            "bedrock",
            "cw-reverse",
            Routes.bedrock("bedrock", runtime, TestClouds.GPT_OSS, key, 1, 100),
            Routes.azure("azure", azure, 2, 0));
    gw.routes(
        "converse.json",
        Routes.table(
            "apps",
            "converse",
            MODEL,
            RouteTable.Strategy.Failover,
            "bedrock",
            "cw-converse",
            Routes.converse("bedrock", runtime, TestClouds.GPT_OSS, key, 1, 100),
            Routes.azure("azure", azure, 2, 0)));
    gw.routes("failover.json", azureFirst);
    gw.routes("reverse.json", bedrockFirst);
    gw.routes("circuit.json", Routes.renamed(azureFirst, "circuit", "cw-circuit"));
    stopGateway();
  }

  /**
   * Each test gets a gateway of its own over the same route tables: circuits one test opened (for a
   * 30 s cool-down) must not decide where the next test's requests go.
   */
  @BeforeEach
  void freshGateway() {
    sim.faults().clear();
    startGateway(FLAGS);
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.gateway.endpoints().size() == 4);
    sim.calls().reset();
  }

  @AfterEach
  void stopTheTestsGateway() {
    stopGateway();
  }

  static HttpResponse<String> ask(String key) {
    return gw.post("/v1/chat/completions", key, UpstreamsTest.chat(MODEL, "are you there?"));
  }

  static String servedBy(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.headers().firstValue("x-crosswind-target").orElseThrow();
  }

  @Test
  void failsOverWhenTheActiveTargetRefusesConnections() {
    sim.refuseConnections(Service.AZURE_OPENAI);
    try {
      assertThat(servedBy(ask("cw-failover"))).isEqualTo("bedrock");
      assertThat(
              gw.metric(
                  "crosswind_gateway_upstream_attempts_total{endpoint=\"apps/failover\",outcome=\"refused\",target=\"azure\""))
          .isPositive();
      // Counted when the answer has ended, which the client may see first.
      await()
          .atMost(Duration.ofSeconds(2))
          .until(
              () ->
                  gw.metric(
                          "crosswind_gateway_requests_total{endpoint=\"apps/failover\",operation=\"chat.completions\",status=\"200\",stream=\"false\",target=\"bedrock\"")
                      > 0);
    } finally {
      sim.restore(Service.AZURE_OPENAI);
    }
  }

  @Test
  void failsOverOnServerErrors() {
    sim.faults().add(Fault.error(Service.AZURE_OPENAI, "*", 1, 500));
    assertThat(servedBy(ask("cw-failover"))).isEqualTo("bedrock");

    sim.faults().clear();
    sim.faults().add(Fault.outage(Service.AZURE_OPENAI, "*"));
    assertThat(servedBy(ask("cw-failover"))).isEqualTo("bedrock");
    assertThat(sim.calls().count(Service.AZURE_OPENAI, "ChatCompletions_Create")).isEqualTo(2);
  }

  @Test
  void failsOverOnThrottlingWithRateLimitHeaders() {
    // Azure OpenAI's 429 carries retry-after and retry-after-ms.
    // (1 ms: the gateway skips a target for its retry-after, and the next test wants azure back.)
    sim.faults().add(Fault.throttle(Service.AZURE_OPENAI, "*", 1, Duration.ofMillis(1)));

    assertThat(servedBy(ask("cw-failover"))).isEqualTo("bedrock");
  }

  @Test
  void failsOverOnThrottlingWithoutRateLimitHeaders() {
    // The Bedrock runtime's ThrottlingException carries no Retry-After.
    sim.faults().add(Fault.throttle(Service.BEDROCK_RUNTIME, "*", 1, Duration.ZERO));

    assertThat(servedBy(ask("cw-reverse"))).isEqualTo("azure");
  }

  @Test
  void failsOverWhenTheActiveTargetTimesOut() {
    sim.faults().add(Fault.latency(Service.AZURE_OPENAI, "*", Duration.ofSeconds(3)));
    long started = System.nanoTime();

    assertThat(servedBy(ask("cw-failover"))).isEqualTo("bedrock");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    assertThat(
            gw.metric(
                "crosswind_gateway_upstream_attempts_total{endpoint=\"apps/failover\",outcome=\"timeout\""))
        .isPositive();
  }

  @Test
  void failsOverAStreamBeforeItsFirstByte() {
    sim.faults().add(Fault.outage(Service.AZURE_OPENAI, "*"));

    HttpResponse<String> response =
        gw.post(
            "/v1/chat/completions",
            "cw-failover",
            UpstreamsTest.chat(MODEL, "stream").put("stream", true));

    assertThat(servedBy(response)).isEqualTo("bedrock");
    assertThat(response.body()).startsWith("data: {").endsWith("data: [DONE]\n\n");
  }

  @Test
  void failsOverAConverseStreamCutBeforeItsContentAndEndsOneCutLaterWithAnError() {
    JsonObject streamed = UpstreamsTest.chat(MODEL, "one two three four").put("stream", true);
    for (int events : new int[] {0, 1}) {
      sim.faults().clear();
      sim.faults().add(Fault.streamError(Service.BEDROCK_RUNTIME, "*", events));

      HttpResponse<String> before = gw.post("/v1/chat/completions", "cw-converse", streamed);

      assertThat(servedBy(before))
          .as("cut after %d events (messageStart at most): the next target", events)
          .isEqualTo("azure");
      assertThat(before.body()).endsWith("data: [DONE]\n\n");
    }

    sim.faults().clear();
    sim.faults().add(Fault.streamError(Service.BEDROCK_RUNTIME, "*", 2));
    HttpResponse<String> after = gw.post("/v1/chat/completions", "cw-converse", streamed);

    assertThat(servedBy(after)).isEqualTo("bedrock");
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.body())
        .as("the chunks sent so far, then the error in OpenAI's shape, and no [DONE]")
        .contains("chat.completion.chunk")
        .contains("\"code\":\"throttlingException\"")
        .doesNotContain("[DONE]");
  }

  @Test
  void aCallersMistakeIsAnsweredAsTheCloudAnswersItAndNotFailedOver() {
    HttpResponse<String> stringMessages =
        gw.post(
            "/v1/chat/completions",
            "cw-failover",
            new JsonObject().put("model", MODEL).put("messages", "hello"));
    long azureCalls = sim.calls().count(Service.AZURE_OPENAI, "ChatCompletions_Create");
    HttpResponse<String> nullMessage =
        gw.post(
            "/v1/chat/completions",
            "cw-converse",
            new JsonObject().put("model", MODEL).put("messages", new JsonArray().addNull()));

    assertThat(stringMessages.statusCode()).as(stringMessages.body()).isEqualTo(400);
    assertThat(new JsonObject(stringMessages.body()).getJsonObject("error").getString("message"))
        .isEqualTo(
            "Invalid type for 'messages': expected an array of objects, but got a string"
                + " instead.");
    assertThat(azureCalls).as("Azure's 400 went to no other target").isEqualTo(1);
    // Converse cannot express a null message: the request goes to Azure, which refuses it.
    assertThat(nullMessage.statusCode()).as(nullMessage.body()).isEqualTo(400);
    assertThat(new JsonObject(nullMessage.body()).getJsonObject("error").getString("message"))
        .isEqualTo("Invalid type for 'messages[0]': expected an object, but got null instead.");
    assertThat(sim.calls().count(Service.BEDROCK_RUNTIME, "ChatCompletions")).isZero();
    assertThat(sim.calls().count(Service.BEDROCK_RUNTIME, "Converse")).isZero();
  }

  @Test
  void keepsTheLastUpstreamStatusInOpenAisErrorShapeWhenEveryTargetFails() {
    sim.faults().add(Fault.outage(Service.AZURE_OPENAI, "*"));
    sim.faults().add(Fault.throttle(Service.BEDROCK_RUNTIME, "*", 1, Duration.ZERO));

    HttpResponse<String> response = ask("cw-failover");

    assertThat(response.statusCode()).isEqualTo(429);
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertThat(error.getString("type")).isEqualTo("rate_limit_error");
    assertThat(error.getString("message")).isNotBlank();
    assertThat(error.containsKey("param")).isTrue();
  }

  @Test
  void answers502WhenNoTargetCanBeReached() {
    sim.refuseConnections(Service.AZURE_OPENAI);
    sim.refuseConnections(Service.BEDROCK_RUNTIME);
    try {
      HttpResponse<String> response = ask("cw-failover");

      assertThat(response.statusCode()).isEqualTo(502);
      JsonObject error = new JsonObject(response.body()).getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("upstream_unavailable");
      assertThat(error.getString("message"))
          .contains("azure: connection refused")
          .contains("bedrock");
    } finally {
      sim.restore(Service.AZURE_OPENAI);
      sim.restore(Service.BEDROCK_RUNTIME);
    }
  }

  @Test
  void skipsATargetThatKeepsFailingAndReportsItsCircuit() {
    sim.faults().add(Fault.error(Service.AZURE_OPENAI, "*", 1, 503));
    for (int i = 0; i < 3; i++) {
      assertThat(servedBy(ask("cw-circuit"))).isEqualTo("bedrock");
    }
    assertThat(sim.calls().count(Service.AZURE_OPENAI, "ChatCompletions_Create")).isEqualTo(3);

    for (int i = 0; i < 5; i++) {
      assertThat(servedBy(ask("cw-circuit"))).isEqualTo("bedrock");
    }

    assertThat(sim.calls().count(Service.AZURE_OPENAI, "ChatCompletions_Create"))
        .as("the open circuit keeps requests away from azure")
        .isEqualTo(3);
    assertThat(
            gw.metric("crosswind_gateway_circuit_open{endpoint=\"apps/circuit\",target=\"azure\"}"))
        .isEqualTo(1.0);
  }

  @Test
  void trafficIsBackOnARecoveredTargetLongBeforeTheCoolDownEnds() {
    stopGateway();
    String[] flags = java.util.Arrays.copyOf(FLAGS, FLAGS.length);
    flags[flags.length - 1] = "--breaker-check-interval=250ms";
    startGateway(flags);
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.gateway.endpoints().size() == 4);
    sim.refuseConnections(Service.AZURE_OPENAI);
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(servedBy(ask("cw-circuit"))).isEqualTo("bedrock");
      }
      assertThat(
              gw.metric(
                  "crosswind_gateway_circuit_open{endpoint=\"apps/circuit\",target=\"azure\"}"))
          .isEqualTo(1.0);
    } finally {
      sim.restore(Service.AZURE_OPENAI);
    }

    // The cool-down is 30 s: only an active check brings azure back this soon.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(servedBy(ask("cw-circuit"))).isEqualTo("azure"));
    assertThat(gw.metric("crosswind_gateway_circuit_checks_total{result=\"recovered\"}"))
        .isEqualTo(1.0);
    assertThat(
            gw.metric("crosswind_gateway_circuit_open{endpoint=\"apps/circuit\",target=\"azure\"}"))
        .isZero();
  }
}
