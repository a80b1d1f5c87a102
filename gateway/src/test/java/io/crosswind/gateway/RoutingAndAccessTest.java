package io.crosswind.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.simulators.bedrock.BedrockState.RuntimeQuota;
import io.crosswind.simulators.core.Service;
import io.crosswind.wire.RouteTable;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Weights, sticky sessions, the endpoint key deciding the endpoint, the model check, the body
 * limit, and route-table changes applied under load without a failed request.
 */
class RoutingAndAccessTest extends GatewayTestBase {

  static TestClouds.AzureDeployment azure;
  static String bedrockKey;
  static String runtime;

  @BeforeAll
  static void start() throws Exception {
    sim = clouds.get();
    azure = TestClouds.azure(sim, "rg-gw", "gw-routing");
    bedrockKey = TestClouds.bedrockKey(sim);
    runtime = sim.bedrockRuntimeEndpoint(TestClouds.REGION);
    // Hundreds of requests a minute here: more than Bedrock's default quota per model.
    sim.bedrock()
        .setRuntimeQuota(
            TestClouds.REGION, TestClouds.GPT_OSS, new RuntimeQuota(1_000_000, 1_000_000_000));
    startGateway("--max-body-bytes=4096");
    gw.routes("weighted.json", weighted(80, 20));
    gw.routes(
        "team-a.json",
        Routes.table(
            "team-a",
            "chat",
            MODEL,
            RouteTable.Strategy.Failover,
            "azure",
            "cw-team-a",
            Routes.azure("azure", azure, 1, 100)));
    gw.routes(
        "team-b.json",
        Routes.table(
            "team-b",
            "chat",
            "gpt-oss",
            RouteTable.Strategy.Failover,
            "bedrock",
            "cw-team-b",
            Routes.bedrock("bedrock", runtime, TestClouds.GPT_OSS, bedrockKey, 1, 100)));
    gw.routes("moving.json", moving("azure"));
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.gateway.endpoints().size() == 4);
  }

  static RouteTable weighted(int azureWeight, int bedrockWeight) {
    return Routes.table(
        "apps",
        "weighted",
        MODEL,
        RouteTable.Strategy.Weighted,
        "azure",
        "cw-weighted",
        Routes.azure("azure", azure, 1, azureWeight),
        Routes.bedrock("bedrock", runtime, TestClouds.GPT_OSS, bedrockKey, 2, bedrockWeight));
  }

  static RouteTable moving(String active) {
    return Routes.table(
        "apps",
        "moving",
        MODEL,
        RouteTable.Strategy.Failover,
        active,
        "cw-moving",
        Routes.azure("azure", azure, 1, 100),
        Routes.bedrock("bedrock", runtime, TestClouds.GPT_OSS, bedrockKey, 2, 0));
  }

  static HttpResponse<String> ask(String key, String... headers) {
    return gw.post(
        "/v1/chat/completions",
        key,
        UpstreamsTest.chat(MODEL, "hello").put("max_tokens", 20),
        headers);
  }

  static String target(HttpResponse<String> response) {
    return response.headers().firstValue("x-crosswind-target").orElse("none");
  }

  @Test
  void splitsTrafficByWeightWithinTolerance() {
    int requests = 400;
    Map<String, Integer> served = new TreeMap<>();
    for (int i = 0; i < requests; i++) {
      HttpResponse<String> response = ask("cw-weighted");
      assertThat(response.statusCode()).isEqualTo(200);
      served.merge(target(response), 1, Integer::sum);
    }
    // 80/20 over 400 requests: the standard deviation of the azure share is 2 points; 4 sigma.
    assertThat(served.get("azure") / (double) requests).as(served.toString()).isBetween(0.72, 0.88);
    assertThat(served.get("azure") + served.get("bedrock")).isEqualTo(requests);
  }

  @Test
  void keepsASessionOnOneTargetWhileItServes() {
    Map<String, String> first = new TreeMap<>();
    for (int s = 0; s < 20; s++) {
      first.put("session-" + s, target(ask("cw-weighted", "x-crosswind-session", "session-" + s)));
    }
    for (int round = 0; round < 3; round++) {
      first.forEach(
          (session, target) ->
              assertThat(target(ask("cw-weighted", "x-crosswind-session", session)))
                  .as(session)
                  .isEqualTo(target));
    }
    assertThat(first.values()).contains("azure");
  }

  @Test
  void refusesRequestsWithoutAValidKeyInOpenAisShape() {
    for (String key : new String[] {null, "cw-nope", ""}) {
      HttpResponse<String> response = ask(key);
      assertThat(response.statusCode()).as(String.valueOf(key)).isEqualTo(401);
      JsonObject error = new JsonObject(response.body()).getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("invalid_api_key");
      assertThat(error.getString("type")).isEqualTo("authentication_error");
    }
    assertThat(gw.get("/v1/models", "cw-nope").statusCode()).isEqualTo(401);
  }

  @Test
  void aKeyReachesItsOwnEndpointOnly() {
    // team-b's key with team-a's model: the key decides the endpoint, so the model is unknown.
    HttpResponse<String> misuse = ask("cw-team-b");
    HttpResponse<String> own =
        gw.post("/v1/chat/completions", "cw-team-b", UpstreamsTest.chat("gpt-oss", "hello"));
    HttpResponse<String> a = ask("cw-team-a");

    assertThat(misuse.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(misuse.body()).getJsonObject("error").getString("code"))
        .isEqualTo("model_not_found");
    assertThat(target(own)).isEqualTo("bedrock");
    assertThat(UpstreamsTest.content(own)).startsWith("Hello from bedrock/");
    assertThat(target(a)).isEqualTo("azure");
    assertThat(UpstreamsTest.content(a)).startsWith("Hello from azure-openai/");
  }

  @Test
  void refusesAnOversizedBodyWith413() {
    String big = "x".repeat(8192);
    HttpResponse<String> response =
        gw.post("/v1/chat/completions", "cw-team-a", UpstreamsTest.chat(MODEL, big));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code"))
        .isEqualTo("request_too_large");
    assertThat(sim.calls().count(Service.AZURE_OPENAI, "ChatCompletions_Create")).isZero();
  }

  @Test
  void refusesBadJsonAndAMissingModel() {
    assertThat(gw.post("/v1/chat/completions", "cw-team-a", "{not json").statusCode())
        .isEqualTo(400);
    assertThat(
            gw.post("/v1/chat/completions", "cw-team-a", new JsonObject().put("messages", "x"))
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void appliesARouteChangeUnderLoadWithoutAFailedRequest() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong switchedAt = new AtomicLong();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    Map<String, AtomicLong> azureAfterSwitch = new ConcurrentHashMap<>();
    List<Future<Integer>> clients = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
      for (int c = 0; c < 6; c++) {
        clients.add(
            pool.submit(
                () -> {
                  int sent = 0;
                  while (running.get()) {
                    long before = System.nanoTime();
                    HttpResponse<String> response = ask("cw-moving");
                    sent++;
                    if (response.statusCode() != 200) {
                      failures.add(response.statusCode() + " " + response.body());
                    } else if (switchedAt.get() != 0
                        && before - switchedAt.get() > Duration.ofSeconds(1).toNanos()
                        && target(response).equals("azure")) {
                      azureAfterSwitch
                          .computeIfAbsent("azure", k -> new AtomicLong())
                          .incrementAndGet();
                    }
                  }
                  return sent;
                }));
      }
      Thread.sleep(700);
      gw.routes("moving.json", moving("bedrock"));
      switchedAt.set(System.nanoTime());
      await().atMost(Duration.ofSeconds(1)).until(() -> target(ask("cw-moving")).equals("bedrock"));
      Thread.sleep(1500);
      running.set(false);
      int total = 0;
      for (Future<Integer> client : clients) {
        total += client.get();
      }
      assertThat(total).isGreaterThan(100);
    }
    assertThat(failures).isEmpty();
    assertThat(azureAfterSwitch).as("requests sent a second after the change").isEmpty();
  }
}
