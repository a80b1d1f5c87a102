package io.crosswind.gateway.api;

import io.crosswind.gateway.endpoints.EndpointDirectory;
import io.crosswind.gateway.ops.AccessLog;
import io.crosswind.gateway.ops.GatewayMetrics;
import io.crosswind.gateway.routing.CircuitBreakers;
import io.crosswind.gateway.routing.TargetOrder;
import io.crosswind.gateway.upstream.Forwarder;
import io.crosswind.gateway.upstream.Operation;
import io.crosswind.gateway.upstream.ResponseIds;
import io.crosswind.wire.RouteTable;
import io.crosswind.wire.RouteTable.Route;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * The OpenAI-compatible API applications call: {@code POST /v1/chat/completions}, {@code POST
 * /v1/responses}, {@code GET /v1/models}. The endpoint key ({@code Authorization: Bearer}) decides
 * the endpoint; the request's {@code model} must be its logical model. Every answer is logged and
 * counted once.
 */
public final class GatewayApi {

  /**
   * @param maxBodyBytes the largest request body accepted; larger is 413
   * @param sessionHeader the header whose value keeps a session on one target of a Weighted
   *     endpoint, or null
   */
  public record Settings(long maxBodyBytes, String sessionHeader, Admission.Limits limits) {}

  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final String TABLE = "crosswind.table";
  private static final String OUTCOME = "crosswind.outcome";

  /** What a request came to: filled in by whoever answered it. */
  private static final class Outcome {
    String operation = "-";
    String target = GatewayMetrics.NONE;
    int attempts;
    boolean stream;
    String errorCode;
  }

  private final EndpointDirectory directory;
  private final Forwarder forwarder;
  private final CircuitBreakers breakers;
  private final GatewayMetrics metrics;
  private final AccessLog accessLog;
  private final Settings settings;
  private final Clock clock;
  private final BooleanSupplier draining;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Admission admission;

  public GatewayApi(
      EndpointDirectory directory,
      Forwarder forwarder,
      CircuitBreakers breakers,
      GatewayMetrics metrics,
      AccessLog accessLog,
      Settings settings,
      Clock clock,
      BooleanSupplier draining) {
    this.directory = directory;
    this.forwarder = forwarder;
    this.breakers = breakers;
    this.metrics = metrics;
    this.accessLog = accessLog;
    this.settings = settings;
    this.clock = clock;
    this.draining = draining;
    this.admission = new Admission(settings.limits());
  }

  /** The memory budget, for its gauges. */
  public Admission admission() {
    return admission;
  }

  /** Requests being answered now. */
  public int inFlight() {
    return inFlight.get();
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(this::begin);
    router.route("/v1/*").handler(this::authenticate);
    BodyHandler body =
        BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()).setHandleFileUploads(false);
    router.get("/v1/models").handler(this::models);
    router.get("/v1/models/:model").handler(this::model);
    // Admission comes before the body is read: a route of its own, as Vert.x wants body handlers
    // first on theirs.
    router.post("/v1/chat/completions").handler(this::admit);
    router.post("/v1/responses").handler(this::admit);
    router
        .post("/v1/chat/completions")
        .handler(body)
        .handler(rc -> forward(rc, Operation.CHAT_COMPLETIONS));
    router.post("/v1/responses").handler(body).handler(rc -> forward(rc, Operation.RESPONSES));
    router
        .route()
        .last()
        .handler(
            rc ->
                error(
                    rc,
                    404,
                    "Unknown request URL: "
                        + rc.request().method()
                        + " "
                        + rc.request().path()
                        + ". This gateway serves /v1/chat/completions, /v1/responses and"
                        + " /v1/models.",
                    null,
                    "unknown_url"));
    router.route().failureHandler(this::failed);
    return router;
  }

  private void begin(RoutingContext rc) {
    long started = System.nanoTime();
    String requestId = rc.request().getHeader("x-request-id");
    if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
      requestId = UUID.randomUUID().toString();
    }
    String id = requestId;
    Outcome outcome = new Outcome();
    rc.put(OUTCOME, outcome);
    rc.response().putHeader("x-request-id", id);
    if (draining.getAsBoolean()) {
      rc.response().putHeader("Connection", "close");
    }
    inFlight.incrementAndGet();
    rc.addEndHandler(v -> ended(rc, outcome, id, started));
    rc.next();
  }

  private void ended(RoutingContext rc, Outcome outcome, String requestId, long started) {
    inFlight.decrementAndGet();
    long nanos = System.nanoTime() - started;
    RouteTable table = rc.get(TABLE);
    String endpoint = table == null ? GatewayMetrics.UNKNOWN : table.id();
    int status =
        rc.response().closed() && !rc.response().ended() ? 499 : rc.response().getStatusCode();
    if (outcome.errorCode != null && "client_closed".equals(outcome.errorCode)) {
      status = 499;
    }
    metrics.request(endpoint, outcome.operation, outcome.target, status, outcome.stream, nanos);
    if (outcome.errorCode != null) {
      metrics.error(endpoint, outcome.errorCode);
    }
    HttpServerRequest request = rc.request();
    accessLog.log(
        new AccessLog.Entry(
            request.method().name(),
            request.path(),
            status,
            endpoint,
            outcome.operation,
            outcome.target,
            outcome.attempts,
            outcome.stream,
            nanos / 1_000_000,
            outcome.errorCode,
            requestId,
            request.remoteAddress() == null ? "-" : request.remoteAddress().hostAddress()));
  }

  /**
   * Admits the request within the memory budget before its body is read (with its declared length,
   * else the largest body allowed), or refuses it at once with Retry-After.
   */
  private void admit(RoutingContext rc) {
    RouteTable table = rc.get(TABLE);
    long declared = settings.maxBodyBytes();
    String length = rc.request().getHeader("Content-Length");
    if (length != null) {
      try {
        declared = Math.min(settings.maxBodyBytes(), Math.max(0, Long.parseLong(length.trim())));
      } catch (NumberFormatException e) {
        // BodyHandler answers a malformed length; hold the most it may read meanwhile.
      }
    }
    long held = declared;
    Admission.Refusal refused = admission.admit(table.id(), held);
    if (refused != null) {
      rc.response().putHeader("Retry-After", "1");
      error(rc, refused.status(), refused.message(), null, refused.code());
      return;
    }
    rc.addEndHandler(v -> admission.release(table.id(), held));
    rc.next();
  }

  private void authenticate(RoutingContext rc) {
    String authorization = rc.request().getHeader("Authorization");
    String key = null;
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      key = authorization.substring(7).trim();
    }
    Optional<RouteTable> table = directory.find(key);
    if (table.isEmpty()) {
      error(
          rc,
          401,
          key == null
              ? "You didn't provide an API key. Send the endpoint key as 'Authorization: Bearer"
                  + " <key>'; it is OPENAI_API_KEY in the endpoint's Secret."
              : "Incorrect API key provided. Use the key of the endpoint's Secret"
                  + " (OPENAI_API_KEY).",
          null,
          "invalid_api_key");
      return;
    }
    rc.put(TABLE, table.get());
    rc.next();
  }

  private void models(RoutingContext rc) {
    RouteTable table = rc.get(TABLE);
    outcome(rc).operation = "models";
    json(rc, new JsonObject().put("object", "list").put("data", new JsonArray().add(model(table))));
  }

  private void model(RoutingContext rc) {
    RouteTable table = rc.get(TABLE);
    outcome(rc).operation = "models";
    if (!table.model().equals(rc.pathParam("model"))) {
      modelNotFound(rc, rc.pathParam("model"));
      return;
    }
    json(rc, model(table));
  }

  private static JsonObject model(RouteTable table) {
    return new JsonObject()
        .put("id", table.model())
        .put("object", "model")
        .put("created", 0)
        .put("owned_by", "crosswind");
  }

  private void forward(RoutingContext rc, Operation operation) {
    RouteTable table = rc.get(TABLE);
    Outcome outcome = outcome(rc);
    outcome.operation = operation.tag();
    JsonObject body;
    try {
      body = rc.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null) {
      error(
          rc,
          400,
          "We could not parse the JSON body of your request. The body must be a JSON object.",
          null,
          "invalid_json");
      return;
    }
    outcome.stream = body.getValue("stream") instanceof Boolean b && b;
    Object model = body.getValue("model");
    if (!(model instanceof String requested) || requested.isEmpty()) {
      error(rc, 400, "You must provide a model parameter.", "model", "missing_model");
      return;
    }
    if (!requested.equals(table.model())) {
      modelNotFound(rc, requested);
      return;
    }
    List<Route> candidates;
    Object previous = body.getValue("previous_response_id");
    boolean ours =
        operation == Operation.RESPONSES
            && previous instanceof String p
            && ResponseIds.isGateways(p);
    Optional<ResponseIds.Tagged> pinned =
        ours ? ResponseIds.untag((String) previous) : Optional.empty();
    if (ours && (pinned.isEmpty() || !ResponseIds.madeBy(table, pinned.get(), clock.instant()))) {
      error(
          rc,
          404,
          "Previous response '"
              + previous
              + "' was not made through endpoint "
              + table.id()
              + " with its present key (an id of another endpoint, of an older gateway, or"
              + " from before the endpoint's key was rotated); its conversation cannot be"
              + " continued here. Start a new one without previous_response_id.",
          "previous_response_id",
          "previous_response_not_found");
      return;
    }
    if (pinned.isPresent()) {
      Optional<Route> holder = table.route(pinned.get().target());
      if (holder.isEmpty()) {
        error(
            rc,
            404,
            "Previous response '"
                + previous
                + "' was made by target "
                + pinned.get().target()
                + ", which endpoint "
                + table.id()
                + " no longer has; its conversation cannot be continued. Start a new one"
                + " without previous_response_id.",
            "previous_response_id",
            "previous_response_not_found");
        return;
      }
      if (!holder.get().servable(clock.instant()) || holder.get().converse()) {
        error(
            rc,
            503,
            "Previous response '"
                + previous
                + "' lives on target "
                + pinned.get().target()
                + ", which cannot serve now; retry later, or start a new conversation without"
                + " previous_response_id.",
            "previous_response_id",
            "previous_response_target_unavailable");
        return;
      }
      body.put("previous_response_id", pinned.get().upstreamId());
      candidates = List.of(holder.get());
    } else {
      String session =
          settings.sessionHeader() == null
              ? null
              : rc.request().getHeader(settings.sessionHeader());
      candidates =
          TargetOrder.plan(
              table,
              clock.instant(),
              target -> !breakers.admit(table.id(), target),
              ThreadLocalRandom.current(),
              session);
      if (operation == Operation.RESPONSES) {
        boolean anyServable = !candidates.isEmpty();
        candidates = candidates.stream().filter(r -> !r.converse()).toList();
        if (anyServable && candidates.isEmpty()) {
          error(
              rc,
              400,
              "The targets of endpoint "
                  + table.id()
                  + " serve this model through Bedrock Converse, which has no Responses API:"
                  + " use /v1/chat/completions.",
              null,
              "responses_not_served");
          return;
        }
      }
    }
    forwarder.forward(
        rc.response(),
        table,
        operation,
        body,
        candidates,
        result -> {
          outcome.target = result.target();
          outcome.attempts = result.attempts();
          outcome.errorCode = result.errorCode();
        });
  }

  private void modelNotFound(RoutingContext rc, String model) {
    error(
        rc,
        404,
        "The model `" + model + "` does not exist or you do not have access to it.",
        "model",
        "model_not_found");
  }

  private void failed(RoutingContext rc) {
    if (rc.statusCode() == 413) {
      error(
          rc,
          413,
          "The request body is larger than " + settings.maxBodyBytes() + " bytes.",
          null,
          "request_too_large");
      return;
    }
    if (rc.statusCode() == 400) {
      error(rc, 400, "The request could not be read.", null, "invalid_request");
      return;
    }
    if (rc.response().headWritten()) {
      rc.response().reset();
      return;
    }
    error(rc, 500, "The gateway failed to handle the request.", null, "gateway_error");
  }

  private void error(RoutingContext rc, int status, String message, String param, String code) {
    Outcome outcome = outcome(rc);
    if (outcome != null) {
      outcome.errorCode = code;
    }
    OpenAiErrors.send(rc.response(), status, message, param, code);
  }

  private static void json(RoutingContext rc, JsonObject body) {
    rc.response().putHeader("Content-Type", "application/json").end(body.toBuffer());
  }

  private static Outcome outcome(RoutingContext rc) {
    return rc.get(OUTCOME);
  }
}
