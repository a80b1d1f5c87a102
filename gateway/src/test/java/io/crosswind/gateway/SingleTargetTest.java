package io.crosswind.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import io.crosswind.wire.RouteTable;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * An endpoint with one target: a 429's retry-after is waited out for the same target when there is
 * no other, and a drain lets the request in flight finish while readiness says no.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SingleTargetTest extends GatewayTestBase {

  @BeforeAll
  static void start() throws Exception {
    sim = clouds.get();
    TestClouds.AzureDeployment azure = TestClouds.azure(sim, "rg-gw", "gw-single");
    startGateway(
        "--max-retry-after=1s",
        "--drain-grace=0ms",
        "--drain-timeout=10s",
        "--client-idle-timeout=1s");
    gw.routes(
        "single.json",
        Routes.table(
            "apps",
            "single",
            MODEL,
            RouteTable.Strategy.Failover,
            "azure",
            "cw-single",
            Routes.azure("azure", azure, 1, 100)));
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.gateway.endpoints().size() == 1);
  }

  static HttpResponse<String> ask() {
    return gw.post("/v1/chat/completions", "cw-single", UpstreamsTest.chat(MODEL, "one target"));
  }

  @Test
  @Order(1)
  void waitsOutAShortRetryAfterForTheOnlyTarget() {
    // 0.5 throttles the first of every two requests, with retry-after-ms 300.
    sim.faults().add(Fault.throttle(Service.AZURE_OPENAI, "*", 0.5, Duration.ofMillis(300)));
    long started = System.nanoTime();

    HttpResponse<String> response = ask();

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(sim.calls().count(Service.AZURE_OPENAI, "ChatCompletions_Create")).isEqualTo(2);
  }

  @Test
  @Order(2)
  void aQuietConnectionWaitingForAnAnswerStaysOpenAndAnIdleOneCloses() throws Exception {
    // The answer takes longer than the idle timeout of connections without a request.
    sim.faults().add(Fault.latency(Service.AZURE_OPENAI, "*", Duration.ofMillis(2500)));
    try {
      HttpResponse<String> slow = ask();
      assertThat(slow.statusCode()).as(slow.body()).isEqualTo(200);
    } finally {
      sim.faults().clear();
    }

    // A keep-alive connection after its answer: closed once it has been idle for 1 s.
    try (java.net.Socket idle = new java.net.Socket("127.0.0.1", gw.gateway.port())) {
      idle.setSoTimeout(10_000);
      idle.getOutputStream()
          .write(
              "GET /v1/models HTTP/1.1\r\nHost: gateway\r\n\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      java.io.DataInputStream in = new java.io.DataInputStream(idle.getInputStream());
      int length = 0;
      StringBuilder line = new StringBuilder();
      for (int b; (b = in.read()) != -1; ) {
        if (b != '\n') {
          line.append((char) b);
          continue;
        }
        String header = line.toString().trim();
        line.setLength(0);
        if (header.isEmpty()) {
          break;
        }
        if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(header.substring("content-length:".length()).trim());
        }
      }
      in.readFully(new byte[length]);
      long answered = System.nanoTime();
      // Closed by the gateway: the read sees the end of the stream, not the socket timeout.
      assertThat(in.read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - answered))
          .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }
  }

  @Test
  @Order(3) // last: it stops the gateway
  void drainsTheRequestsInFlightBeforeItStops() {
    await().until(() -> gw.ops("/readyz").statusCode() == 200);
    sim.faults().add(Fault.latency(Service.AZURE_OPENAI, "*", Duration.ofMillis(1500)));
    CompletableFuture<HttpResponse<String>> inFlight =
        CompletableFuture.supplyAsync(SingleTargetTest::ask);
    await().until(() -> gw.gateway.endpoints().size() == 1 && inFlightCount() > 0);

    CompletableFuture<Void> drained = CompletableFuture.runAsync(gw.gateway::drain);
    await().atMost(Duration.ofSeconds(1)).until(() -> !gw.gateway.ready());

    assertThat(inFlight.join().statusCode()).isEqualTo(200);
    drained.join();
  }

  static double inFlightCount() {
    return gw.metric("crosswind_gateway_in_flight ");
  }
}
