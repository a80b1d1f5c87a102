package io.crosswind.simulators.core;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * One simulated cloud service: its routes, its state, and the common way every operation is counted
 * and exposed to injected faults before it runs.
 */
public abstract class SimulatedService {

  protected final Faults faults;
  protected final Calls calls;
  protected final Clock clock;
  protected Vertx vertx;
  protected ManagementLimits limits = ManagementLimits.off();
  private String baseUrl;

  protected SimulatedService(Faults faults, Calls calls, Clock clock) {
    this.faults = faults;
    this.calls = calls;
    this.clock = clock;
  }

  public abstract Service service();

  /** Adds this service's routes. */
  protected abstract void routes(Router router);

  /**
   * Sends the provider's own error shape.
   *
   * @param retryAfterSeconds the Retry-After to send with a 429 or 503, or 0 for none
   */
  protected abstract void sendError(
      RoutingContext rc, int status, String code, String message, long retryAfterSeconds);

  final Router router(Vertx vertx) {
    this.vertx = vertx;
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create().setBodyLimit(16 * 1024 * 1024));
    routes(router);
    router
        .route()
        .last()
        .handler(
            rc ->
                sendError(
                    rc,
                    404,
                    "NotFound",
                    "No such operation in the simulated "
                        + service().id()
                        + ": "
                        + rc.request().method()
                        + " "
                        + rc.request().path(),
                    0));
    return router;
  }

  /** The published request-rate limits this service enforces (none unless set). */
  public void limits(ManagementLimits limits) {
    this.limits = limits;
  }

  /**
   * Takes a token from each bucket named, in order; on the first refusal counts it and answers with
   * {@link #sendLimited} instead of running the operation.
   *
   * @return true when the call may go on
   */
  protected boolean withinLimits(
      RoutingContext rc, String operation, ManagementLimits.Limit limit, String... keys) {
    for (String key : keys) {
      ManagementLimits.Verdict verdict = limits.take(key, limit);
      if (!verdict.allowed()) {
        limits.refused(service(), operation);
        sendLimited(rc, operation, verdict);
        return false;
      }
    }
    return true;
  }

  /** The cloud's answer to a call over a published limit: by default its 429 with Retry-After. */
  protected void sendLimited(RoutingContext rc, String operation, ManagementLimits.Verdict v) {
    sendError(rc, 429, "TooManyRequests", "Rate exceeded.", v.retryAfterSeconds());
  }

  void bound(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** The service's base URL, for example https://127.0.0.1:40123. */
  public String baseUrl() {
    return baseUrl;
  }

  /**
   * Counts the operation, applies the faults in force for its scope, and runs it unless a fault
   * answered instead.
   */
  protected void operation(
      RoutingContext rc,
      String operation,
      String scope,
      boolean mutating,
      Handler<RoutingContext> action) {
    calls.record(service(), operation, mutating);
    Optional<Fault> outage =
        faults.hit(service(), scope, Fault.Kind.OUTAGE_REFUSE, Fault.Kind.OUTAGE_503);
    if (outage.isPresent()) {
      if (outage.get().kind() == Fault.Kind.OUTAGE_REFUSE) {
        rc.request().connection().close();
      } else {
        sendError(
            rc, 503, "ServiceUnavailable", "The service is unavailable (injected outage).", 0);
      }
      return;
    }
    Optional<Fault> throttle = faults.hit(service(), scope, Fault.Kind.THROTTLE);
    if (throttle.isPresent()) {
      sendThrottled(rc, throttle.get());
      return;
    }
    Optional<Fault> error = faults.hit(service(), scope, Fault.Kind.ERROR);
    if (error.isPresent()) {
      sendError(
          rc,
          error.get().status(),
          "InternalServerError",
          "The service failed to process the request (injected error).",
          0);
      return;
    }
    Optional<Fault> latency = faults.hit(service(), scope, Fault.Kind.LATENCY);
    if (latency.isPresent() && !latency.get().delay().isZero()) {
      vertx.setTimer(latency.get().delay().toMillis(), id -> validated(rc, action));
      return;
    }
    validated(rc, action);
  }

  /**
   * Runs the operation; a field of the wrong type (which the JSON accessors find as a
   * ClassCastException) is the caller's mistake, answered 400 as the clouds' validation does.
   */
  private void validated(RoutingContext rc, Handler<RoutingContext> action) {
    try {
      action.handle(rc);
    } catch (ClassCastException e) {
      if (!rc.response().headWritten()) {
        sendError(rc, 400, badRequestCode(), "A field of the request has the wrong type.", 0);
      }
    }
  }

  /** The error code of a malformed request, in the service's vocabulary. */
  protected String badRequestCode() {
    return "ValidationException";
  }

  /** A 429 in the provider's shape; services override to add their own headers. */
  protected void sendThrottled(RoutingContext rc, Fault fault) {
    long seconds = Math.max(1, (fault.delay().toMillis() + 999) / 1000);
    sendError(rc, 429, "TooManyRequests", "Rate limit exceeded (injected throttling).", seconds);
  }

  /** Answers a Chat Completions request with a tool call, whole or streamed as the body asks. */
  protected static void toolCall(
      RoutingContext rc,
      JsonObject body,
      String id,
      String model,
      long created,
      JsonObject call,
      int promptTokens) {
    if (!Boolean.TRUE.equals(body.getValue("stream"))) {
      sendJson(rc, 200, ChatReplies.toolCallCompletion(id, model, created, call, promptTokens));
      return;
    }
    boolean usage =
        body.getValue("stream_options") instanceof JsonObject options
            && Boolean.TRUE.equals(options.getValue("include_usage"));
    rc.response()
        .setStatusCode(200)
        .putHeader("Content-Type", "text/event-stream")
        .setChunked(true);
    for (JsonObject chunk :
        ChatReplies.toolCallChunks(id, model, created, call, promptTokens, usage)) {
      rc.response().write("data: " + chunk.encode() + "\n\n");
    }
    rc.response().end("data: [DONE]\n\n");
  }

  protected static void sendJson(RoutingContext rc, int status, JsonObject body) {
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  protected static String requestId() {
    return UUID.randomUUID().toString();
  }

  /** The JSON body of the request, or null when it is absent or not an object. */
  protected static JsonObject jsonBody(RoutingContext rc) {
    try {
      return rc.body() == null || rc.body().length() == 0 ? null : rc.body().asJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
