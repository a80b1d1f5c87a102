package io.crosswind.gateway.upstream;

import io.crosswind.gateway.api.OpenAiErrors;
import io.crosswind.gateway.converse.ConverseRequests;
import io.crosswind.gateway.converse.ConverseStreamTranslator.UpstreamStreamError;
import io.crosswind.gateway.ops.GatewayMetrics;
import io.crosswind.gateway.routing.CircuitBreakers;
import io.crosswind.gateway.upstream.AttemptFailure.ConnectionFailed;
import io.crosswind.gateway.upstream.AttemptFailure.Refused;
import io.crosswind.gateway.upstream.AttemptFailure.StreamError;
import io.crosswind.gateway.upstream.AttemptFailure.TimedOut;
import io.crosswind.gateway.upstream.AttemptFailure.Unsupported;
import io.crosswind.gateway.upstream.AttemptFailure.UpstreamStatus;
import io.crosswind.gateway.upstream.Forwarder.Outcome;
import io.crosswind.wire.RouteTable;
import io.crosswind.wire.RouteTable.Route;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One request's way through its candidate targets: the attempt loop. Runs on the request's event
 * loop only. Each attempt either gets an answer, which a relay ({@link OpenAiRelay}, {@link
 * ConverseRelay}) writes to the client, or an {@link AttemptFailure}, after which {@link
 * RetryPolicy} decides between the next target, the same one after its Retry-After, and giving up.
 */
final class Exchange implements Answer {

  private final Vertx vertx;
  private final HttpClient client;
  private final ForwardingSettings settings;
  private final CircuitBreakers breakers;
  private final GatewayMetrics metrics;
  private final Clock clock;

  private final HttpServerResponse out;
  private final RouteTable table;
  private final Operation operation;
  private final JsonObject body;
  private final boolean stream;
  private final List<Route> candidates;
  private final Consumer<Outcome> done;
  private final long deadline;
  private final List<String> failures = new ArrayList<>();
  private int next;
  private int attempts;
  private Route lastRoute;
  private AttemptFailure last;
  private Attempt current;
  private boolean finished;

  Exchange(
      Upstreams upstreams,
      HttpServerResponse out,
      RouteTable table,
      Operation operation,
      JsonObject body,
      List<Route> candidates,
      Consumer<Outcome> done) {
    this.vertx = upstreams.vertx();
    this.client = upstreams.client();
    this.settings = upstreams.settings();
    this.breakers = upstreams.breakers();
    this.metrics = upstreams.metrics();
    this.clock = upstreams.clock();
    this.out = out;
    this.table = table;
    this.operation = operation;
    this.body = body;
    this.stream = body.getValue("stream") instanceof Boolean b && b;
    this.candidates = candidates;
    this.done = done;
    this.deadline = System.nanoTime() + settings.deadline().toNanos();
  }

  void start() {
    out.closeHandler(v -> clientGone());
    tryNext();
  }

  private void clientGone() {
    if (finished) {
      return;
    }
    if (current != null && current.request != null) {
      current.request.reset();
    }
    finish(499, current == null ? GatewayMetrics.NONE : current.target(), "client_closed");
  }

  private long remainingMillis() {
    return (deadline - System.nanoTime()) / 1_000_000;
  }

  // ---- the attempt loop ------------------------------------------------------------------------

  private void tryNext() {
    if (finished) {
      return;
    }
    if (attempts >= settings.maxAttempts() || remainingMillis() <= 0) {
      giveUp();
      return;
    }
    if (next < candidates.size()) {
      attempt(candidates.get(next++));
      return;
    }
    long wait =
        last == null
            ? -1
            : RetryPolicy.sameTargetAfter(
                last, settings.maxRetryAfter().toMillis(), remainingMillis());
    if (wait > 0) {
      Route again = lastRoute;
      vertx.setTimer(wait, t -> attempt(again));
      // One more try at most: its Retry-After is used up.
      last = ((UpstreamStatus) last).withoutRetryAfter();
      return;
    }
    giveUp();
  }

  private void attempt(Route route) {
    if (finished) {
      return;
    }
    UpstreamRequest up;
    try {
      up = UpstreamRequest.of(operation, route, body, stream);
    } catch (ConverseRequests.Unsupported e) {
      failed(route, new Unsupported(e.param(), e.getMessage()));
      return;
    }
    attempts++;
    Attempt attempt = new Attempt(route, up);
    current = attempt;
    long budget = Math.max(1, Math.min(settings.firstByteTimeout().toMillis(), remainingMillis()));
    attempt.timer =
        vertx.setTimer(
            budget,
            t -> {
              if (attempt.settle()) {
                if (attempt.request != null) {
                  attempt.request.reset();
                }
                transportFailed(attempt, new TimedOut("timed out after " + budget + " ms"));
              }
            });
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(up.uri())
            .setHeaders(up.headers())
            .setConnectTimeout(settings.connectTimeout().toMillis())
            .setIdleTimeout(settings.streamIdleTimeout().toMillis());
    client
        .request(options)
        .onComplete(
            requested -> {
              if (requested.failed()) {
                if (attempt.settle()) {
                  transportFailed(attempt, classify(requested.cause()));
                }
                return;
              }
              HttpClientRequest request = requested.result();
              if (attempt.settled()) {
                request.reset();
                return;
              }
              attempt.request = request;
              request
                  .send(up.body())
                  .onComplete(
                      sent -> {
                        if (sent.failed()) {
                          if (attempt.settle()) {
                            transportFailed(attempt, classify(sent.cause()));
                          }
                          return;
                        }
                        HttpClientResponse response = sent.result();
                        if (!attempt.settle()) {
                          request.reset();
                          return;
                        }
                        responded(attempt, response);
                      });
            });
  }

  /** A connection-level failure as the kind of failure it is. */
  /**
   * A connection-level failure as the kind of failure it is, described without the upstream's host
   * name or address (clients see the description; the detail goes to the debug log only).
   */
  static AttemptFailure classify(Throwable cause) {
    org.slf4j.LoggerFactory.getLogger(Exchange.class).debug("upstream connection failed", cause);
    // Netty's connect timeout is a ConnectException too: it is a timeout, not a refusal.
    if (cause instanceof io.netty.channel.ConnectTimeoutException) {
      return new TimedOut("timed out connecting");
    }
    if (cause instanceof TimeoutException) {
      return new TimedOut("timed out");
    }
    if (cause instanceof ConnectException) {
      return new Refused();
    }
    if (cause instanceof java.net.UnknownHostException) {
      return new ConnectionFailed("the upstream's name did not resolve");
    }
    if (cause instanceof javax.net.ssl.SSLException) {
      return new ConnectionFailed("the TLS handshake failed");
    }
    return new ConnectionFailed("the connection broke");
  }

  private void transportFailed(Attempt attempt, AttemptFailure failure) {
    vertx.cancelTimer(attempt.timer);
    metrics.attempt(table.id(), attempt.target(), failure.outcome(), -1);
    countAgainstTarget(attempt.route, failure);
    failed(attempt.route, failure);
  }

  private void countAgainstTarget(Route route, AttemptFailure failure) {
    if (RetryPolicy.countsAgainstTarget(failure)) {
      breakers.failed(table.id(), route.target());
    }
  }

  /** An attempt failed before its answer began: the next target, or the end. */
  private void failed(Route route, AttemptFailure failure) {
    if (!(failure instanceof Unsupported)) {
      failures.add(route.target() + ": " + failure.describe());
    }
    lastRoute = route;
    last = failure;
    if (RetryPolicy.tryNextTarget(failure)) {
      tryNext();
    } else {
      giveUp();
    }
  }

  private void responded(Attempt attempt, HttpClientResponse response) {
    vertx.cancelTimer(attempt.timer);
    int status = response.statusCode();
    long firstByte = System.nanoTime() - attempt.started;
    String target = attempt.target();
    if (status >= 200 && status < 300) {
      metrics.attempt(table.id(), target, "ok", firstByte);
      breakers.succeeded(table.id(), target);
      if (attempt.up.converse()) {
        ConverseRelay.relay(
            this,
            attempt,
            response,
            stream,
            body.getValue("stream_options") instanceof JsonObject o
                && Boolean.TRUE.equals(o.getValue("include_usage")),
            table.model(),
            clock);
      } else {
        OpenAiRelay.relay(this, attempt, response, operation, stream, table);
      }
      return;
    }
    long retryAfter = status == 429 ? RetryAfter.millis(response.headers(), clock) : -1;
    String awsErrorType = response.getHeader("x-amzn-ErrorType");
    metrics.attempt(table.id(), target, "status_" + status, firstByte);
    countAgainstTarget(attempt.route, new UpstreamStatus(status, null, awsErrorType, retryAfter));
    if (retryAfter > 0) {
      breakers.backOff(table.id(), target, retryAfter);
    }
    BoundedBody.start(response, BoundedBody.MAX_ERROR)
        .onComplete(
            read ->
                failed(
                    attempt.route,
                    new UpstreamStatus(
                        status,
                        read.succeeded() ? read.result() : Buffer.buffer(),
                        awsErrorType,
                        retryAfter)));
  }

  // ---- the client's side (Answer) --------------------------------------------------------------

  @Override
  public HttpServerResponse out() {
    return out;
  }

  @Override
  public void commit(int status, String contentType, String target) {
    out.setStatusCode(status);
    if (contentType != null) {
      out.putHeader("Content-Type", contentType);
    }
    out.putHeader("x-crosswind-target", target);
  }

  @Override
  public void relay(
      Attempt attempt, HttpClientResponse response, Consumer<Buffer> each, Runnable end) {
    response.handler(
        buffer -> {
          if (finished) {
            return;
          }
          each.accept(buffer);
          if (out.writeQueueFull()) {
            response.pause();
            out.drainHandler(v -> response.resume());
          }
        });
    response.exceptionHandler(e -> brokenAfterCommit(attempt));
    response.endHandler(
        v -> {
          if (!finished) {
            end.run();
          }
        });
  }

  @Override
  public void streamFailed(
      Attempt attempt, HttpClientResponse response, UpstreamStreamError error, boolean committed) {
    String target = attempt.target();
    // This attempt is over: what the reset raises or delivers is no longer the answer's.
    response.exceptionHandler(null).handler(null).endHandler(null);
    response.request().reset();
    StreamError failure =
        new StreamError(
            error.type(),
            error.status(),
            OpenAiErrors.body(
                error.message(), OpenAiErrors.typeFor(error.status()), null, error.type()));
    metrics.attempt(table.id(), target, failure.outcome(), -1);
    if (committed) {
      out.write("data: " + failure.error().encode() + "\n\n");
      end(null, target);
      return;
    }
    countAgainstTarget(attempt.route, failure);
    failed(attempt.route, failure);
  }

  @Override
  public void brokenAfterCommit(Attempt attempt) {
    if (finished) {
      return;
    }
    metrics.attempt(table.id(), attempt.target(), "broken_stream", -1);
    breakers.failed(table.id(), attempt.target());
    finish(out.getStatusCode(), attempt.target(), "broken_stream");
    out.reset();
  }

  @Override
  public void end(Buffer lastBuffer, String target) {
    if (finished) {
      return;
    }
    // The outcome first: ending the answer runs the access log and the metrics.
    finish(out.getStatusCode(), target, null);
    if (lastBuffer == null) {
      out.end();
    } else {
      out.end(lastBuffer);
    }
  }

  @Override
  public void fail(int status, String target, JsonObject error) {
    if (finished) {
      return;
    }
    JsonObject inner = error.getJsonObject("error");
    String code = inner == null ? null : String.valueOf(inner.getValue("code"));
    if (!out.headWritten()) {
      out.putHeader("x-crosswind-target", target);
    }
    finish(status, target, code == null || "null".equals(code) ? "upstream_" + status : code);
    OpenAiErrors.send(out, status, error);
  }

  @Override
  public void countTokens(String target, JsonObject usage) {
    if (usage == null) {
      return;
    }
    long prompt = Json.number(usage, "prompt_tokens", "input_tokens");
    long completion = Json.number(usage, "completion_tokens", "output_tokens");
    if (prompt > 0 || completion > 0) {
      metrics.tokens(table.id(), target, prompt, completion);
    }
  }

  // ---- the ends --------------------------------------------------------------------------------

  /** No attempt is left: the client gets the last failure, in OpenAI's shape. */
  private void giveUp() {
    if (finished) {
      return;
    }
    if (last == null) {
      fail(
          503,
          GatewayMetrics.NONE,
          OpenAiErrors.body(
              "Endpoint " + table.id() + " has no target that can serve this request now.",
              "api_error",
              null,
              "no_target_available"));
      return;
    }
    String target = lastRoute.target();
    switch (last) {
      case UpstreamStatus s ->
          fail(
              s.status(),
              target,
              OpenAiErrors.fromUpstream(s.status(), s.body(), s.awsErrorType()));
      case StreamError e -> fail(e.status(), target, e.error());
      case Unsupported u ->
          fail(
              400,
              target,
              OpenAiErrors.body(
                  u.message(),
                  "invalid_request_error",
                  u.param() == null ? "" : u.param(),
                  "unsupported_request"));
      case Refused r -> unreachable(502, target);
      case ConnectionFailed c -> unreachable(502, target);
      case TimedOut t -> unreachable(504, target);
    }
  }

  private void unreachable(int status, String target) {
    fail(
        status,
        target,
        OpenAiErrors.body(
            "No target of endpoint "
                + table.id()
                + " answered: "
                + String.join("; ", failures)
                + ".",
            "api_error",
            null,
            status == 504 ? "upstream_timeout" : "upstream_unavailable"));
  }

  private void finish(int status, String target, String errorCode) {
    if (finished) {
      return;
    }
    finished = true;
    done.accept(new Outcome(status, target, attempts, errorCode));
  }
}
