package io.crosswind.gateway.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operations port, apart from traffic: {@code /healthz} (the process serves), {@code /readyz}
 * (route tables read and not draining) and {@code /metrics} (Prometheus text format).
 */
public final class GatewayOpsServer {

  private GatewayOpsServer() {}

  public static Future<HttpServer> start(
      Vertx vertx,
      String address,
      int port,
      BooleanSupplier ready,
      Supplier<String> readiness,
      PrometheusMeterRegistry registry) {
    return vertx
        .createHttpServer(new HttpServerOptions().setHost(address).setPort(port))
        .requestHandler(
            request -> {
              switch (request.path()) {
                case "/healthz" ->
                    request
                        .response()
                        .putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end("ok\n");
                case "/readyz" -> {
                  boolean ok = ready.getAsBoolean();
                  request
                      .response()
                      .setStatusCode(ok ? 200 : 503)
                      .putHeader("Content-Type", "text/plain; charset=utf-8")
                      .end((ok ? "ok: " : "not ok: ") + readiness.get() + "\n");
                }
                case "/metrics" ->
                    request
                        .response()
                        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(registry.scrape());
                default -> request.response().setStatusCode(404).end();
              }
            })
        .listen();
  }
}
