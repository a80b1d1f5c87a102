package io.crosswind.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import io.crosswind.wire.RouteTable;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The memory budget: requests in flight per endpoint and bytes of request bodies held are bounded,
 * and what is beyond them is refused at once with Retry-After, the endpoint's own share first
 * (429), the replica's next (503); other endpoints keep being served.
 */
class MemoryBudgetTest extends GatewayTestBase {

  @BeforeAll
  static void start() throws Exception {
    sim = clouds.get();
    TestClouds.AzureDeployment azure = TestClouds.azure(sim, "rg-gw", "gw-budget");
    startGateway("--max-in-flight-per-endpoint=1", "--max-buffered-bytes=64000");
    for (String name : new String[] {"busy", "calm"}) {
      gw.routes(
          name + ".json",
          Routes.table(
              "apps",
              name,
              MODEL,
              RouteTable.Strategy.Failover,
              "azure",
              "cw-" + name,
              Routes.azure("azure", azure, 1, 100)));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.gateway.endpoints().size() == 2);
  }

  static HttpResponse<String> ask(String key, String text) {
    return gw.post("/v1/chat/completions", key, UpstreamsTest.chat(MODEL, text));
  }

  @Test
  void anEndpointBeyondItsShareIsAnswered429WhileAnotherIsServed() {
    sim.faults().add(Fault.latency(Service.AZURE_OPENAI, "*", Duration.ofMillis(1500)));
    CompletableFuture<HttpResponse<String>> first =
        CompletableFuture.supplyAsync(() -> ask("cw-busy", "first"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> gw.metric("crosswind_gateway_in_flight ") >= 1);

    HttpResponse<String> second = ask("cw-busy", "second");
    HttpResponse<String> other = ask("cw-calm", "other team");

    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.headers().firstValue("Retry-After")).contains("1");
    assertThat(new JsonObject(second.body()).getJsonObject("error").getString("code"))
        .isEqualTo("endpoint_concurrency_exceeded");
    assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
    assertThat(first.join().statusCode()).isEqualTo(200);
    assertThat(ask("cw-busy", "after").statusCode()).as("the share is released").isEqualTo(200);
  }

  @Test
  void bodiesBeyondTheBytesBudgetAreRefused503BeforeTheyAreRead() {
    HttpResponse<String> large = ask("cw-calm", "x".repeat(70_000));

    assertThat(large.statusCode()).isEqualTo(503);
    assertThat(large.headers().firstValue("Retry-After")).contains("1");
    assertThat(new JsonObject(large.body()).getJsonObject("error").getString("code"))
        .isEqualTo("gateway_overloaded");
    assertThat(sim.calls().count(Service.AZURE_OPENAI, "ChatCompletions_Create")).isZero();
    assertThat(gw.metric("crosswind_gateway_budget_buffered_bytes ")).isZero();
    assertThat(ask("cw-calm", "small").statusCode()).isEqualTo(200);
  }
}
