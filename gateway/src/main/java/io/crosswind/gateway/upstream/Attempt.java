package io.crosswind.gateway.upstream;

import io.crosswind.wire.RouteTable.Route;
import io.vertx.core.http.HttpClientRequest;

/** One try at one target. Used on the request's event loop only. */
final class Attempt {
  final Route route;
  final UpstreamRequest up;
  final long started = System.nanoTime();
  HttpClientRequest request;
  long timer = -1;
  private boolean settled;

  Attempt(Route route, UpstreamRequest up) {
    this.route = route;
    this.up = up;
  }

  String target() {
    return route.target();
  }

  boolean settled() {
    return settled;
  }

  /** Marks the attempt decided; false when it already was (timeout and answer raced). */
  boolean settle() {
    if (settled) {
      return false;
    }
    settled = true;
    return true;
  }
}
