package io.crosswind.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.simulators.core.ChatReplies;
import io.crosswind.wire.RouteTable;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that goes away in the middle of a stream: the gateway resets the upstream stream, and
 * nothing is left behind, neither the request in flight nor the upstream connection (one per event
 * loop here, so a leaked one would stall the next request).
 */
class ClientDisconnectTest extends GatewayTestBase {

  static final int CLIENTS = 10;
  static Vertx vertx;
  static final AtomicInteger upstreamOpen = new AtomicInteger();
  static final AtomicInteger upstreamClosed = new AtomicInteger();

  /** An upstream that streams a chunk every 20 ms until its client closes, or answers at once. */
  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    HttpServer upstream =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              var response = req.response();
                              if (!new JsonObject(body).getBoolean("stream", false)) {
                                response
                                    .putHeader("Content-Type", "application/json")
                                    .end(
                                        ChatReplies.completion("chatcmpl-1", "m", 0, "done", 1)
                                            .encode());
                                return;
                              }
                              upstreamOpen.incrementAndGet();
                              response
                                  .setChunked(true)
                                  .putHeader("Content-Type", "text/event-stream");
                              long timer =
                                  vertx.setPeriodic(
                                      0,
                                      20,
                                      id ->
                                          response.write(
                                              "data: {\"choices\": [{\"index\": 0, \"delta\":"
                                                  + " {\"content\": \"and on \"}}]}\n\n"));
                              response.closeHandler(
                                  v -> {
                                    vertx.cancelTimer(timer);
                                    upstreamClosed.incrementAndGet();
                                  });
                            }))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .join();
    startGateway("--upstream-pool-size=1");
    gw.routes(
        "slow.json",
        Routes.table(
            "apps",
            "slow",
            MODEL,
            RouteTable.Strategy.Failover,
            "slow",
            "cw-slow",
            Routes.bedrock(
                "slow", "http://127.0.0.1:" + upstream.actualPort(), "m", "key", 1, 100)));
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.gateway.endpoints().size() == 1);
  }

  @AfterAll
  static void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void aClientGoneMidStreamResetsTheUpstreamAndLeavesNothingBehind() throws Exception {
    String body = UpstreamsTest.chat(MODEL, "go").put("stream", true).encode();
    for (int i = 0; i < CLIENTS; i++) {
      try (Socket socket = new Socket("127.0.0.1", gw.gateway.port())) {
        OutputStream out = socket.getOutputStream();
        out.write(
            ("POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer"
                    + " cw-slow\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length
                    + "\r\n\r\n"
                    + body)
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = socket.getInputStream();
        String seen = "";
        byte[] buffer = new byte[4096];
        while (!seen.contains("and on")) {
          int n = in.read(buffer);
          assertThat(n).as("the stream ended early: " + seen).isPositive();
          seen += new String(buffer, 0, n, StandardCharsets.UTF_8);
        }
        assertThat(seen).startsWith("HTTP/1.1 200");
      }
    }

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(upstreamClosed).hasValue(CLIENTS);
              assertThat(gw.metric("crosswind_gateway_in_flight ")).isZero();
            });
    assertThat(upstreamOpen).hasValue(CLIENTS);
    assertThat(
            gw
                .gateway
                .registry()
                .find("crosswind.gateway.requests")
                .tag("status", "499")
                .counters()
                .stream()
                .mapToDouble(c -> c.count())
                .sum())
        .isEqualTo(CLIENTS);
    // One upstream connection per event loop: served only if the reset ones went back or away.
    for (int i = 0; i < 4; i++) {
      var served =
          gw.post("/v1/chat/completions", "cw-slow", new JsonObject(body).put("stream", false));
      assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
    }
  }
}
