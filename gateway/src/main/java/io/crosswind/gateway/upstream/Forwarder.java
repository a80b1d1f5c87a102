package io.crosswind.gateway.upstream;

import io.crosswind.gateway.ops.GatewayMetrics;
import io.crosswind.gateway.routing.CircuitBreakers;
import io.crosswind.wire.RouteTable;
import io.crosswind.wire.RouteTable.Route;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sends a request to an endpoint's targets in order until one answers, and relays the answer.
 *
 * <p>Before the first byte reaches the client, a refused or broken connection, a timeout, 408, 429
 * (with or without rate-limit headers), 401, 403 and any 5xx send the request to the next target,
 * within {@link ForwardingSettings#maxAttempts()} and {@link ForwardingSettings#deadline()}; when
 * no other target is left, a short {@code Retry-After} is waited out for the same target. After
 * that the answer streams through with back-pressure: OpenAI answers byte for byte, Converse
 * answers translated event by event. The last failure comes back in OpenAI's error shape with the
 * upstream status kept (502 for connections, 504 for timeouts).
 *
 * <p>The attempt loop is {@link Exchange}, what follows a failure {@link RetryPolicy}, and the
 * relays {@link OpenAiRelay} and {@link ConverseRelay}.
 */
public final class Forwarder {

  /** How a request ended, for metrics and the access log. */
  public record Outcome(int status, String target, int attempts, String errorCode) {}

  private final Upstreams upstreams;

  public Forwarder(
      Vertx vertx,
      HttpClient client,
      ForwardingSettings settings,
      CircuitBreakers breakers,
      GatewayMetrics metrics,
      Clock clock) {
    this.upstreams = new Upstreams(vertx, client, settings, breakers, metrics, clock);
  }

  /**
   * Forwards one request.
   *
   * @param candidates the targets in the order to try them
   * @param done called once when the answer has been sent, or the client went away
   */
  public void forward(
      HttpServerResponse out,
      RouteTable table,
      Operation operation,
      JsonObject body,
      List<Route> candidates,
      Consumer<Outcome> done) {
    new Exchange(upstreams, out, table, operation, body, candidates, done).start();
  }
}
