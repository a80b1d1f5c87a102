package io.crosswind.gateway.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Closes a client's keep-alive connection once it has had no request in flight for the idle
 * timeout. A connection that waits for an answer is never closed for being quiet: a reasoning model
 * may take minutes before the first byte of a non-streamed answer, and the request's own timeouts
 * (first byte, deadline, stream idle) bound that wait instead.
 *
 * <p>One instance per event loop: every call comes from that loop, so plain maps suffice.
 */
public final class IdleConnections {

  private final Vertx vertx;
  private final long idleMillis;
  private final Map<HttpConnection, State> connections = new HashMap<>();

  private static final class State {
    int inFlight;
    long timer = -1;
  }

  public IdleConnections(Vertx vertx, Duration idle) {
    this.vertx = vertx;
    this.idleMillis = Math.max(1, idle.toMillis());
  }

  /** A new client connection: idle until its first request. */
  public void opened(HttpConnection connection) {
    State state = new State();
    connections.put(connection, state);
    arm(connection, state);
    connection.closeHandler(
        v -> {
          State gone = connections.remove(connection);
          if (gone != null && gone.timer >= 0) {
            vertx.cancelTimer(gone.timer);
          }
        });
  }

  /** A route handler that counts the request in flight until its response ends or fails. */
  public void track(RoutingContext rc) {
    HttpConnection connection = rc.request().connection();
    State state = connection == null ? null : connections.get(connection);
    if (state != null) {
      state.inFlight++;
      if (state.timer >= 0) {
        vertx.cancelTimer(state.timer);
        state.timer = -1;
      }
      rc.addEndHandler(
          v -> {
            state.inFlight--;
            if (state.inFlight == 0 && connections.containsKey(connection)) {
              arm(connection, state);
            }
          });
    }
    rc.next();
  }

  private void arm(HttpConnection connection, State state) {
    state.timer =
        vertx.setTimer(
            idleMillis,
            id -> {
              state.timer = -1;
              if (state.inFlight == 0) {
                connection.close();
              }
            });
  }
}
