package io.crosswind.gateway.upstream;

import io.crosswind.gateway.ops.GatewayMetrics;
import io.crosswind.gateway.routing.CircuitBreakers;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.time.Clock;

/**
 * What every exchange with the upstreams shares: the event loops' timers, the upstream connection
 * pool, the forwarding settings, the circuits, the metrics and the clock.
 */
record Upstreams(
    Vertx vertx,
    HttpClient client,
    ForwardingSettings settings,
    CircuitBreakers breakers,
    GatewayMetrics metrics,
    Clock clock) {}
