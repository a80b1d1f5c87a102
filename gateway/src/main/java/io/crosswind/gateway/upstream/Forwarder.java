package io.crosswind.gateway.upstream;

import io.crosswind.gateway.api.OpenAiErrors;
import io.crosswind.gateway.converse.ConverseRequests;
import io.crosswind.gateway.converse.ConverseResponses;
import io.crosswind.gateway.converse.ConverseStreamTranslator;
import io.crosswind.gateway.converse.ConverseStreamTranslator.StreamFailure;
import io.crosswind.gateway.ops.GatewayMetrics;
import io.crosswind.gateway.routing.CircuitBreakers;
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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import software.amazon.awssdk.eventstream.MessageDecoder;

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
 */
public final class Forwarder {

  /** How a request ended, for metrics and the access log. */
  public record Outcome(int status, String target, int attempts, String errorCode) {}

  private final Vertx vertx;
  private final HttpClient client;
  private final ForwardingSettings settings;
  private final CircuitBreakers breakers;
  private final GatewayMetrics metrics;
  private final Clock clock;

  public Forwarder(
      Vertx vertx,
      HttpClient client,
      ForwardingSettings settings,
      CircuitBreakers breakers,
      GatewayMetrics metrics,
      Clock clock) {
    this.vertx = vertx;
    this.client = client;
    this.settings = settings;
    this.breakers = breakers;
    this.metrics = metrics;
    this.clock = clock;
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
    new Exchange(out, table, operation, body, candidates, done).start();
  }

  /** Why an attempt did not give an answer to relay. */
  private record Failure(
      Route route,
      String kind,
      int status,
      Buffer body,
      String awsErrorType,
      long retryAfterMillis,
      String message) {

    boolean http() {
      return status > 0;
    }
  }

  /** One request's way through its candidates. Runs on the request's event loop only. */
  private final class Exchange {
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
    private Failure last;
    private Attempt current;
    private boolean finished;

    Exchange(
        HttpServerResponse out,
        RouteTable table,
        Operation operation,
        JsonObject body,
        List<Route> candidates,
        Consumer<Outcome> done) {
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
      finish(499, current == null ? GatewayMetrics.NONE : current.route.target(), "client_closed");
    }

    private long remainingMillis() {
      return (deadline - System.nanoTime()) / 1_000_000;
    }

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
      if (last != null
          && last.retryAfterMillis() >= 0
          && last.retryAfterMillis() <= settings.maxRetryAfter().toMillis()
          && last.retryAfterMillis() < remainingMillis()) {
        Route again = last.route();
        vertx.setTimer(Math.max(1, last.retryAfterMillis()), t -> attempt(again));
        last =
            new Failure(
                again,
                last.kind(),
                last.status(),
                last.body(),
                last.awsErrorType(),
                -1,
                last.message());
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
        last =
            new Failure(
                route,
                "unsupported:" + (e.param() == null ? "" : e.param()),
                0,
                null,
                null,
                -1,
                e.getMessage());
        tryNext();
        return;
      }
      attempts++;
      Attempt attempt = new Attempt(route, up);
      current = attempt;
      long budget =
          Math.max(1, Math.min(settings.firstByteTimeout().toMillis(), remainingMillis()));
      attempt.timer =
          vertx.setTimer(
              budget,
              t -> {
                if (attempt.settle()) {
                  if (attempt.request != null) {
                    attempt.request.reset();
                  }
                  transportFailed(attempt, "timeout", "timed out after " + budget + " ms");
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
                    transportFailed(attempt, requested.cause());
                  }
                  return;
                }
                HttpClientRequest request = requested.result();
                if (attempt.settled) {
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
                              transportFailed(attempt, sent.cause());
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

    private void transportFailed(Attempt attempt, Throwable cause) {
      String kind =
          cause instanceof ConnectException
              ? "refused"
              : cause instanceof TimeoutException
                      || cause instanceof io.netty.channel.ConnectTimeoutException
                  ? "timeout"
                  : "connection_error";
      String message =
          cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
      transportFailed(attempt, kind, message);
    }

    private void transportFailed(Attempt attempt, String kind, String message) {
      vertx.cancelTimer(attempt.timer);
      metrics.attempt(table.id(), attempt.route.target(), kind, -1);
      breakers.failed(table.id(), attempt.route.target());
      failures.add(attempt.route.target() + ": " + describe(kind, message));
      last = new Failure(attempt.route, kind, 0, null, null, -1, message);
      tryNext();
    }

    private String describe(String kind, String message) {
      return switch (kind) {
        case "refused" -> "connection refused";
        case "timeout" -> message;
        default -> "connection failed (" + message + ")";
      };
    }

    private void responded(Attempt attempt, HttpClientResponse response) {
      vertx.cancelTimer(attempt.timer);
      int status = response.statusCode();
      long firstByte = System.nanoTime() - attempt.started;
      String target = attempt.route.target();
      if (status >= 200 && status < 300) {
        metrics.attempt(table.id(), target, "ok", firstByte);
        breakers.succeeded(table.id(), target);
        if (attempt.up.converse()) {
          relayConverse(attempt, response);
        } else {
          relayOpenAi(attempt, response);
        }
        return;
      }
      metrics.attempt(table.id(), target, "status_" + status, firstByte);
      boolean retryable =
          status == 408 || status == 429 || status == 401 || status == 403 || status >= 500;
      long retryAfter = status == 429 ? RetryAfter.millis(response.headers(), clock) : -1;
      if (retryable) {
        breakers.failed(table.id(), target);
      }
      if (retryAfter > 0) {
        breakers.backOff(table.id(), target, retryAfter);
      }
      response
          .body()
          .onComplete(
              read -> {
                Buffer error = read.succeeded() ? read.result() : Buffer.buffer();
                failures.add(target + ": HTTP " + status);
                last =
                    new Failure(
                        attempt.route,
                        "status_" + status,
                        status,
                        error,
                        response.getHeader("x-amzn-ErrorType"),
                        retryAfter,
                        null);
                if (retryable) {
                  tryNext();
                } else {
                  giveUp();
                }
              });
    }

    private void commit(int status, String contentType, String target) {
      out.setStatusCode(status);
      if (contentType != null) {
        out.putHeader("Content-Type", contentType);
      }
      out.putHeader("x-crosswind-target", target);
    }

    // ---- OpenAI-compatible upstreams: the answer as it comes
    // -------------------------------------

    private void relayOpenAi(Attempt attempt, HttpClientResponse response) {
      String target = attempt.route.target();
      commit(response.statusCode(), response.getHeader("Content-Type"), target);
      boolean responses = operation == Operation.RESPONSES;
      if (!stream) {
        response
            .body()
            .onComplete(
                read -> {
                  if (read.failed()) {
                    brokenAfterCommit(attempt);
                    return;
                  }
                  Buffer answer = read.result();
                  JsonObject json = parse(answer);
                  if (json != null) {
                    countTokens(target, json.getJsonObject("usage"));
                    if (responses && json.getString("id") != null) {
                      answer = tagResponse(json, target).toBuffer();
                    }
                  }
                  end(answer, target);
                });
        return;
      }
      out.setChunked(true).putHeader("Cache-Control", "no-cache");
      SseLines lines;
      if (responses) {
        // Each event is rewritten whole, to tag the response ids it carries.
        lines =
            new SseLines(
                line -> {
                  String written = line;
                  if (line.startsWith("data:")) {
                    JsonObject event = parse(Buffer.buffer(line.substring(5).trim()));
                    if (event != null && event.getValue("response") instanceof JsonObject r) {
                      countTokens(target, r.getJsonObject("usage"));
                      event.put("response", tagResponse(r, target));
                      written = "data: " + event.encode();
                    }
                  }
                  out.write(written + "\n");
                });
        relay(attempt, response, lines::feed, () -> end(null, target));
      } else {
        lines =
            new SseLines(
                line -> {
                  if (line.startsWith("data:") && line.contains("\"usage\"")) {
                    JsonObject chunk = parse(Buffer.buffer(line.substring(5).trim()));
                    if (chunk != null && chunk.getValue("usage") instanceof JsonObject usage) {
                      countTokens(target, usage);
                    }
                  }
                });
        relay(
            attempt,
            response,
            buffer -> {
              out.write(buffer);
              lines.feed(buffer);
            },
            () -> end(null, target));
      }
    }

    private JsonObject tagResponse(JsonObject response, String target) {
      JsonObject tagged = response.copy();
      if (tagged.getString("id") != null) {
        tagged.put("id", ResponseIds.tag(target, tagged.getString("id")));
      }
      if (tagged.getValue("previous_response_id") instanceof String previous) {
        tagged.put("previous_response_id", ResponseIds.tag(target, previous));
      }
      return tagged;
    }

    // ---- Converse: translated ------------------------------------------------------------------

    private void relayConverse(Attempt attempt, HttpClientResponse response) {
      String target = attempt.route.target();
      String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
      long created = clock.instant().getEpochSecond();
      if (!stream) {
        response
            .body()
            .onComplete(
                read -> {
                  JsonObject converse = read.succeeded() ? parse(read.result()) : null;
                  if (converse == null) {
                    commit(502, "application/json", target);
                    finishError(
                        502,
                        target,
                        OpenAiErrors.body(
                            "Target " + target + " sent an answer that is not Converse JSON.",
                            "api_error",
                            null,
                            "upstream_invalid"));
                    return;
                  }
                  JsonObject completion =
                      ConverseResponses.completion(converse, id, table.model(), created);
                  countTokens(target, completion.getJsonObject("usage"));
                  commit(200, "application/json", target);
                  end(completion.toBuffer(), target);
                });
        return;
      }
      boolean includeUsage =
          body.getValue("stream_options") instanceof JsonObject o
              && Boolean.TRUE.equals(o.getValue("include_usage"));
      ConverseStreamTranslator translator =
          new ConverseStreamTranslator(id, table.model(), created, includeUsage);
      boolean[] committed = {false};
      boolean[] failed = {false};
      // messageStart alone says nothing the client needs yet: its role chunk waits for the first
      // chunk with content, so that an exception right after it can still go to the next target.
      List<JsonObject> held = new ArrayList<>();
      MessageDecoder decoder =
          new MessageDecoder(
              message -> {
                List<JsonObject> chunks = translator.onMessage(message);
                if (!committed[0]) {
                  held.addAll(chunks);
                  if (held.stream().allMatch(Forwarder::roleOnly)) {
                    return;
                  }
                  committed[0] = true;
                  commit(200, "text/event-stream", target);
                  out.setChunked(true).putHeader("Cache-Control", "no-cache");
                  chunks = List.copyOf(held);
                }
                for (JsonObject chunk : chunks) {
                  out.write("data: " + chunk.encode() + "\n\n");
                }
              });
      relay(
          attempt,
          response,
          buffer -> {
            if (failed[0]) {
              return;
            }
            try {
              decoder.feed(buffer.getBytes());
            } catch (StreamFailure e) {
              failed[0] = true;
              streamFailed(attempt, response, e.error(), committed[0]);
            } catch (RuntimeException e) {
              failed[0] = true;
              streamFailed(
                  attempt,
                  response,
                  new ConverseStreamTranslator.UpstreamStreamError(
                      "invalidEventStream", "The event stream could not be read.", 502),
                  committed[0]);
            }
          },
          () -> {
            if (failed[0]) {
              return;
            }
            if (!committed[0]) {
              commit(200, "text/event-stream", target);
              out.setChunked(true);
              held.forEach(chunk -> out.write("data: " + chunk.encode() + "\n\n"));
            }
            countTokens(target, translator.usage());
            out.write("data: [DONE]\n\n");
            end(null, target);
          });
    }

    private void streamFailed(
        Attempt attempt,
        HttpClientResponse response,
        ConverseStreamTranslator.UpstreamStreamError error,
        boolean committed) {
      String target = attempt.route.target();
      // This attempt is over: what the reset raises or delivers is no longer the answer's.
      response.exceptionHandler(null).handler(null).endHandler(null);
      response.request().reset();
      metrics.attempt(table.id(), target, "stream_" + error.type(), -1);
      JsonObject shaped =
          OpenAiErrors.body(
              error.message(), OpenAiErrors.typeFor(error.status()), null, error.type());
      if (committed) {
        out.write("data: " + shaped.encode() + "\n\n");
        end(null, target);
        return;
      }
      boolean retryable = error.status() == 429 || error.status() >= 500 || error.status() == 408;
      if (retryable) {
        breakers.failed(table.id(), target);
        failures.add(target + ": " + error.type());
        last =
            new Failure(
                attempt.route,
                "stream_" + error.type(),
                error.status(),
                shaped.toBuffer(),
                null,
                -1,
                null);
        tryNext();
        return;
      }
      finishError(error.status(), target, shaped);
    }

    // ---- common ends ---------------------------------------------------------------------------

    /** Relays a body with back-pressure: the upstream pauses while the client's queue is full. */
    private void relay(
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

    private void brokenAfterCommit(Attempt attempt) {
      if (finished) {
        return;
      }
      metrics.attempt(table.id(), attempt.route.target(), "broken_stream", -1);
      breakers.failed(table.id(), attempt.route.target());
      finish(out.getStatusCode(), attempt.route.target(), "broken_stream");
      out.reset();
    }

    private void end(Buffer last, String target) {
      if (finished) {
        return;
      }
      // The outcome first: ending the answer runs the access log and the metrics.
      finish(out.getStatusCode(), target, null);
      if (last == null) {
        out.end();
      } else {
        out.end(last);
      }
    }

    private void giveUp() {
      if (finished) {
        return;
      }
      if (last == null) {
        finishError(
            503,
            GatewayMetrics.NONE,
            OpenAiErrors.body(
                "Endpoint " + table.id() + " has no target that can serve this request now.",
                "api_error",
                null,
                "no_target_available"));
        return;
      }
      String target = last.route().target();
      if (last.http()) {
        finishError(
            last.status(),
            target,
            OpenAiErrors.fromUpstream(last.status(), last.body(), last.awsErrorType()));
      } else if (last.kind().startsWith("unsupported:")) {
        finishError(
            400,
            target,
            OpenAiErrors.body(
                last.message(),
                "invalid_request_error",
                last.kind().substring("unsupported:".length()),
                "unsupported_request"));
      } else {
        int status = "timeout".equals(last.kind()) ? 504 : 502;
        finishError(
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
    }

    private void finishError(int status, String target, JsonObject error) {
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

    private void finish(int status, String target, String errorCode) {
      if (finished) {
        return;
      }
      finished = true;
      done.accept(new Outcome(status, target, attempts, errorCode));
    }

    private void countTokens(String target, JsonObject usage) {
      if (usage == null) {
        return;
      }
      long prompt = number(usage, "prompt_tokens", "input_tokens");
      long completion = number(usage, "completion_tokens", "output_tokens");
      if (prompt > 0 || completion > 0) {
        metrics.tokens(table.id(), target, prompt, completion);
      }
    }
  }

  private static long number(JsonObject json, String name, String alternative) {
    Object value = json.getValue(name);
    if (!(value instanceof Number)) {
      value = json.getValue(alternative);
    }
    return value instanceof Number n ? n.longValue() : 0;
  }

  private static JsonObject parse(Buffer buffer) {
    try {
      Object value = buffer == null || buffer.length() == 0 ? null : buffer.toJson();
      return value instanceof JsonObject o ? o : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** One try at one target. */
  private static final class Attempt {
    final Route route;
    final UpstreamRequest up;
    final long started = System.nanoTime();
    HttpClientRequest request;
    long timer = -1;
    boolean settled;

    Attempt(Route route, UpstreamRequest up) {
      this.route = route;
      this.up = up;
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

  /** A chunk that only announces the assistant's role: no content, tool call or finish yet. */
  static boolean roleOnly(JsonObject chunk) {
    JsonArray choices = chunk.getJsonArray("choices");
    if (choices == null || choices.isEmpty()) {
      return false;
    }
    JsonObject choice = choices.getJsonObject(0);
    JsonObject delta = choice.getJsonObject("delta", new JsonObject());
    return choice.getValue("finish_reason") == null
        && delta.getValue("tool_calls") == null
        && (delta.getString("content") == null || delta.getString("content").isEmpty());
  }
}
