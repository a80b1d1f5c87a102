package io.crosswind.gateway.upstream;

import io.crosswind.gateway.ops.GatewayMetrics;
import io.crosswind.gateway.routing.CircuitBreakers;
import io.crosswind.gateway.routing.CircuitBreakers.Open;
import io.crosswind.wire.RouteTable;
import io.crosswind.wire.RouteTable.Route;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active checks of open circuits, so that traffic is back on a recovered target within about one
 * interval instead of after the cool-down, and no client request pays for finding out.
 *
 * <p>Every interval, each distinct upstream (URL, model, API and credential) behind a circuit
 * opened by failures gets one check at a time, however many endpoints share it: the smallest chat
 * completion (one output token). A check the upstream answers, even with 400 or 404, closes every
 * circuit of that upstream; a refusal, timeout, 401, 403, 408, 429 or 5xx leaves them open. A
 * circuit opened by a 429's Retry-After is not checked: the target said when to come back. A check
 * costs nothing while the upstream fails and one tiny request when it recovers.
 */
public final class CircuitChecks {

  private static final Logger LOG = LoggerFactory.getLogger(CircuitChecks.class);

  static final JsonObject CHECK =
      new JsonObject()
          .put(
              "messages",
              new JsonArray().add(new JsonObject().put("role", "user").put("content", "ping")))
          .put("max_completion_tokens", 1);

  private final Vertx vertx;
  private final HttpClient client;
  private final CircuitBreakers breakers;
  private final Function<String, Optional<RouteTable>> tables;
  private final GatewayMetrics metrics;
  private final Duration interval;
  private final Duration timeout;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private long timer = -1;

  /**
   * @param tables the served route table of an endpoint id
   * @param interval how often open circuits are checked
   * @param timeout how long one check may take
   */
  public CircuitChecks(
      Vertx vertx,
      HttpClient client,
      CircuitBreakers breakers,
      Function<String, Optional<RouteTable>> tables,
      GatewayMetrics metrics,
      Duration interval,
      Duration timeout) {
    this.vertx = vertx;
    this.client = client;
    this.breakers = breakers;
    this.tables = tables;
    this.metrics = metrics;
    this.interval = interval;
    this.timeout = timeout;
  }

  public void start() {
    timer = vertx.setPeriodic(interval.toMillis(), id -> round());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** One round: a check for each upstream behind open circuits that has none in flight. */
  void round() {
    Map<String, List<Open>> circuits = new LinkedHashMap<>();
    Map<String, Route> routes = new LinkedHashMap<>();
    for (Open open : breakers.openCircuits()) {
      if (open.cause() != CircuitBreakers.Cause.FAILURES) {
        continue;
      }
      tables
          .apply(open.endpoint())
          .flatMap(
              t -> t.routes().stream().filter(r -> r.target().equals(open.target())).findFirst())
          .ifPresent(
              route -> {
                String upstream = upstream(route);
                circuits.computeIfAbsent(upstream, k -> new ArrayList<>()).add(open);
                routes.putIfAbsent(upstream, route);
              });
    }
    circuits.forEach(
        (upstream, open) -> {
          if (inFlight.add(upstream)) {
            check(routes.get(upstream), open, () -> inFlight.remove(upstream));
          }
        });
  }

  private static String upstream(Route route) {
    return String.join(
        "\u0000",
        route.url(),
        String.valueOf(route.upstreamModel()),
        String.valueOf(route.api()),
        route.credential() == null ? "" : String.valueOf(route.credential().value()));
  }

  private void check(Route route, List<Open> circuits, Runnable done) {
    UpstreamRequest up;
    try {
      up = UpstreamRequest.of(Operation.CHAT_COMPLETIONS, route, CHECK.copy(), false);
    } catch (RuntimeException e) {
      done.run();
      return;
    }
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(up.uri())
            .setHeaders(up.headers())
            .setConnectTimeout(timeout.toMillis())
            .setIdleTimeout(timeout.toMillis());
    client
        .request(options)
        .compose(request -> request.send(up.body()))
        .compose(
            response ->
                BoundedBody.start(response, BoundedBody.MAX_ERROR).map(b -> response.statusCode()))
        .onComplete(
            answered -> {
              done.run();
              boolean recovered = answered.succeeded() && answers(answered.result());
              metrics.check(recovered ? "recovered" : "failing");
              if (!recovered) {
                return;
              }
              for (Open open : circuits) {
                LOG.info(
                    "circuit of {} target {} closed: an active check was answered",
                    open.endpoint(),
                    open.target());
                breakers.succeeded(open.endpoint(), open.target());
              }
            });
  }

  /** Whether the status shows the upstream serving: anything but what counts against a target. */
  static boolean answers(int status) {
    return status < 500 && status != 401 && status != 403 && status != 408 && status != 429;
  }
}
