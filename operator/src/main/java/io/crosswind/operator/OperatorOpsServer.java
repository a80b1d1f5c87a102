package io.crosswind.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operator's operations endpoints for the kubelet and Prometheus: {@code /healthz} (liveness),
 * {@code /readyz} (readiness) and {@code /metrics} (Prometheus text format).
 */
public final class OperatorOpsServer implements AutoCloseable {

  /** A health answer: ok or not, and a line that says why. */
  public record Health(boolean ok, String detail) {}

  private final HttpServer server;

  private OperatorOpsServer(HttpServer server) {
    this.server = server;
  }

  public static OperatorOpsServer start(
      String address,
      int port,
      Supplier<Health> liveness,
      Supplier<Health> readiness,
      PrometheusMeterRegistry registry)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/healthz", exchange -> health(exchange, liveness.get()));
    server.createContext("/readyz", exchange -> health(exchange, readiness.get()));
    server.createContext(
        "/metrics",
        exchange ->
            respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.start();
    return new OperatorOpsServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void health(HttpExchange exchange, Health health) throws IOException {
    respond(
        exchange,
        health.ok() ? 200 : 503,
        "text/plain; charset=utf-8",
        (health.ok() ? "ok" : "not ok") + ": " + health.detail() + "\n");
  }

  private static void respond(HttpExchange exchange, int code, String contentType, String body)
      throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(code, -1);
        return;
      }
      exchange.sendResponseHeaders(code, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
