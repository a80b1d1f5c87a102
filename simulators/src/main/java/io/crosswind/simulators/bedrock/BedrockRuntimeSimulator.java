package io.crosswind.simulators.bedrock;

import io.crosswind.simulators.bedrock.AwsIdentities.Identity;
import io.crosswind.simulators.bedrock.BedrockState.Resolution;
import io.crosswind.simulators.bedrock.BedrockState.RuntimeQuota;
import io.crosswind.simulators.bedrock.BedrockState.Target;
import io.crosswind.simulators.core.Calls;
import io.crosswind.simulators.core.ChatReplies;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Faults;
import io.crosswind.simulators.core.ResponsesApi;
import io.crosswind.simulators.core.Service;
import io.crosswind.simulators.core.SimulatedService;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * The Bedrock runtime, {@code bedrock-runtime.{region}.amazonaws.com}, API version 2023-09-30
 * (shapes from the service model in aws-sdk-java-v2, services/bedrockruntime/.../service-2.json,
 * and the Amazon Bedrock API Reference): Converse and ConverseStream (AWS event-stream framing,
 * encoded with the SDK's own {@link Message}); and the OpenAI-compatible Chat Completions ({@code
 * /openai/v1/chat/completions} and {@code /v1/chat/completions}) and Responses ({@code
 * /openai/v1/responses} and {@code /v1/responses}, with {@code previous_response_id}) APIs, shaped
 * as OpenAI's API reference. The region is the first path segment.
 *
 * <p>Callers authenticate with SigV4 (signing name {@code bedrock}) or a short-term Bedrock API key
 * signed for this region; a role session's policy must allow {@code bedrock:InvokeModel} (or {@code
 * InvokeModelWithResponseStream} for streams) on the model or profile and on every model it routes
 * to, and {@code bedrock:CallWithBearerToken} for API keys. Each model (or cross-region profile)
 * has requests- and tokens-per-minute quotas per region; admission reserves the prompt plus max
 * tokens (the model's maximum when none is sent). OpenAI paths send OpenAI's error envelope with
 * the status AWS would send.
 *
 * <p>The same class, made with {@code mantle}, is {@code bedrock-mantle.{region}.api.aws}: the
 * OpenAI-compatible Chat Completions and Responses APIs only (no Converse), with the same models,
 * keys and permissions, its own quotas and its own stored responses, and "bedrock-mantle/" in the
 * text of its answers where the runtime says "bedrock/".
 *
 * <p>Faults: scope is the region, or {@code region/modelId} or {@code modelId} when a fault names
 * one of those (the most specific scope with a fault wins).
 */
public final class BedrockRuntimeSimulator extends SimulatedService {

  static final String INVOKE = "bedrock:InvokeModel";
  static final String INVOKE_STREAM = "bedrock:InvokeModelWithResponseStream";

  private final BedrockState state;
  private final SigV4Verifier verifier;
  private final Map<String, long[]> minuteWindows = new ConcurrentHashMap<>();
  private final ResponsesApi responses = new ResponsesApi();
  private final boolean mantle;

  public BedrockRuntimeSimulator(
      Faults faults, Calls calls, Clock clock, BedrockState state, SigV4Verifier verifier) {
    this(faults, calls, clock, state, verifier, false);
  }

  /**
   * @param mantle the mantle endpoint instead of the runtime
   */
  public BedrockRuntimeSimulator(
      Faults faults,
      Calls calls,
      Clock clock,
      BedrockState state,
      SigV4Verifier verifier,
      boolean mantle) {
    super(faults, calls, clock);
    this.state = state;
    this.verifier = verifier;
    this.mantle = mantle;
  }

  @Override
  public Service service() {
    return mantle ? Service.BEDROCK_MANTLE : Service.BEDROCK_RUNTIME;
  }

  /** Who answers, as the answer's text says it. */
  private String servedBy(BedrockState.Target target) {
    return mantle
        ? target.servedBy().replaceFirst("^bedrock/", "bedrock-mantle/")
        : target.servedBy();
  }

  @Override
  protected void routes(Router router) {
    RestJson.requestIds(router);
    for (String prefix : List.of("/:region/openai/v1", "/:region/v1")) {
      router
          .post(prefix + "/chat/completions")
          .handler(rc -> openAi(rc, "ChatCompletions", this::chat));
      router.post(prefix + "/responses").handler(rc -> openAi(rc, "Responses", this::respond));
    }
    if (mantle) {
      return;
    }
    router
        .post("/:region/model/:modelId/converse")
        .handler(rc -> invoke(rc, "Converse", rc.pathParam("modelId"), INVOKE, this::converse));
    router
        .post("/:region/model/:modelId/converse-stream")
        .handler(
            rc ->
                invoke(
                    rc, "ConverseStream", rc.pathParam("modelId"), INVOKE_STREAM, this::converse));
  }

  // ---- the common path of every invocation ---------------------------------------------------

  private void openAi(RoutingContext rc, String operation, Handler<RoutingContext> action) {
    rc.put("openai", true);
    JsonObject body = jsonBody(rc);
    String model = body != null && body.getValue("model") instanceof String m ? m : null;
    boolean stream = body != null && Boolean.TRUE.equals(body.getValue("stream"));
    invoke(rc, operation, model, stream ? INVOKE_STREAM : INVOKE, action);
  }

  /**
   * Counts the call and applies faults, authenticates, resolves the model, checks the session
   * policy, then runs the action with {@code target} and {@code region} in the context.
   */
  private void invoke(
      RoutingContext rc,
      String operation,
      String modelId,
      String action,
      Handler<RoutingContext> then) {
    String region = rc.pathParam("region");
    if (!state.catalog.offersRegion(region)) {
      fail(rc, 404, "UnknownOperationException", "Bedrock is not offered in " + region);
      return;
    }
    operation(
        rc,
        operation,
        faultScope(region, modelId),
        false,
        rc2 -> {
          Identity caller = authenticate(rc2, region);
          if (caller == null) {
            return;
          }
          if (modelId == null) {
            fail(rc2, 400, "ValidationException", "'model' is a required property");
            return;
          }
          Resolution resolution = state.resolve(region, modelId, clock.instant());
          if (resolution.target() == null) {
            fail(rc2, resolution.status(), resolution.code(), resolution.message());
            return;
          }
          for (String resource : resolution.target().resources()) {
            if (!allows(caller, action, resource)) {
              fail(
                  rc2,
                  403,
                  "AccessDeniedException",
                  RestJson.notAuthorized(caller, action, resource));
              return;
            }
          }
          rc2.put("target", resolution.target());
          rc2.put("region", region);
          rc2.put("faultScope", faultScope(region, modelId));
          then.handle(rc2);
        });
  }

  /** The caller, from a SigV4 signature or a Bedrock API key; null when an error was sent. */
  private Identity authenticate(RoutingContext rc, String region) {
    String authorization = rc.request().getHeader("Authorization");
    if (authorization != null && authorization.startsWith("Bearer ")) {
      SigV4Verifier.Result key = verifier.verifyApiKey(authorization.substring(7).trim(), region);
      if (!key.ok()) {
        fail(rc, 403, "AccessDeniedException", key.message());
        return null;
      }
      if (!allows(key.identity(), "bedrock:CallWithBearerToken", "*")) {
        fail(
            rc,
            403,
            "AccessDeniedException",
            RestJson.notAuthorized(key.identity(), "bedrock:CallWithBearerToken", "*"));
        return null;
      }
      return key.identity();
    }
    SigV4Verifier.Result signed =
        verifier.verifyHeader(rc.request(), BedrockSimulator.bodyBytes(rc), "bedrock", region);
    if (!signed.ok()) {
      if (openAiPath(rc)) {
        fail(rc, 403, "AccessDeniedException", signed.message());
      } else {
        RestJson.authError(rc, signed.problem(), signed.message());
      }
      return null;
    }
    return signed.identity();
  }

  private static boolean allows(Identity caller, String action, String resource) {
    return caller.sessionPolicy() == null
        || SessionPolicy.parse(caller.sessionPolicy()).allows(action, resource);
  }

  private String faultScope(String region, String modelId) {
    if (modelId != null) {
      for (String scope : List.of(region + "/" + modelId, modelId)) {
        if (faults.active().stream()
            .anyMatch(f -> f.service() == service() && f.scope().equals(scope))) {
          return scope;
        }
      }
    }
    return region;
  }

  /**
   * Admits a request against the per-minute quotas of its model in its region, reserving the prompt
   * plus max tokens; sends ThrottlingException (or OpenAI's 429) and answers false when full.
   */
  private boolean admit(RoutingContext rc, Target target, int tokens) {
    if (target.quotaKey() == null) {
      return true;
    }
    String region = rc.get("region");
    RuntimeQuota quota = state.runtimeQuota(region, target.quotaKey());
    long minute = clock.instant().getEpochSecond() / 60;
    long[] window =
        minuteWindows.computeIfAbsent(region + "/" + target.quotaKey(), k -> new long[3]);
    String refused = null;
    synchronized (window) {
      if (window[0] != minute) {
        window[0] = minute;
        window[1] = 0;
        window[2] = 0;
      }
      if (window[1] + 1 > quota.requestsPerMinute()) {
        refused = "Too many requests, please wait before trying again.";
      } else if (window[2] + tokens > quota.tokensPerMinute()) {
        refused = "Too many tokens, please wait before trying again.";
      } else {
        window[1] += 1;
        window[2] += tokens;
      }
    }
    if (refused != null) {
      fail(rc, 429, "ThrottlingException", refused);
      return false;
    }
    return true;
  }

  private int maxTokens(RoutingContext rc, Target target, Integer requested) {
    int limit = target.model().maxOutputTokens();
    if (requested == null) {
      return limit;
    }
    if (requested < 1 || requested > limit) {
      fail(
          rc,
          400,
          "ValidationException",
          "The maximum tokens you requested ("
              + requested
              + ") must be between 1 and the model limit of "
              + limit
              + ". Try again with a maximum tokens value within that range.");
      return -1;
    }
    return requested;
  }

  private boolean chatModel(RoutingContext rc, Target target) {
    if (target.model().outputModalities().contains("TEXT")) {
      return true;
    }
    fail(
        rc,
        400,
        "ValidationException",
        "This action doesn't support the model that you provided. Try again with a supported text or chat model.");
    return false;
  }

  // ---- Converse and ConverseStream -----------------------------------------------------------

  private void converse(RoutingContext rc) {
    Target target = rc.get("target");
    JsonObject body = jsonBody(rc);
    String malformed = io.crosswind.simulators.core.ChatValidation.converseProblem(body);
    if (malformed != null) {
      fail(rc, 400, "ValidationException", malformed);
      return;
    }
    JsonArray messages = body.getJsonArray("messages");
    if (messages == null
        || messages.isEmpty()
        || !"user".equals(messages.getJsonObject(0).getString("role"))) {
      fail(
          rc,
          400,
          "ValidationException",
          "A conversation must start with a user message. Try again with a conversation that starts with a user message.");
      return;
    }
    if (!chatModel(rc, target)) {
      return;
    }
    JsonObject toolConfig = body.getJsonObject("toolConfig");
    if (toolConfig == null && ConverseTurns.hasToolBlocks(messages)) {
      fail(
          rc,
          400,
          "ValidationException",
          "The toolConfig field must be defined when using toolUse and toolResult content blocks.");
      return;
    }
    JsonObject forcedTool;
    try {
      forcedTool = ConverseTurns.forcedTool(toolConfig, messages);
    } catch (IllegalArgumentException e) {
      fail(rc, 400, "ValidationException", e.getMessage());
      return;
    }
    JsonArray chat = ConverseTurns.asChat(body.getJsonArray("system", new JsonArray()), messages);
    JsonObject inference = body.getJsonObject("inferenceConfig", new JsonObject());
    Integer requested = inference.getInteger("maxTokens");
    int maxTokens = maxTokens(rc, target, requested);
    int prompt = ChatReplies.promptTokens(chat);
    if (maxTokens < 0 || !admit(rc, target, prompt + maxTokens)) {
      return;
    }
    ConverseTurns.Answer answer =
        forcedTool != null
            ? ConverseTurns.toolUse(forcedTool, chat)
            : ConverseTurns.text(
                ChatReplies.reply(servedBy(target), chat),
                requested,
                inference.getJsonArray("stopSequences", new JsonArray()));
    int output = answer.outputTokens();
    JsonObject usage =
        new JsonObject()
            .put("inputTokens", prompt)
            .put("outputTokens", output)
            .put("totalTokens", prompt + output);
    JsonObject metrics = new JsonObject().put("latencyMs", 42);
    if (rc.request().path().endsWith("/converse-stream")) {
      streamConverse(rc, answer, usage, metrics);
      return;
    }
    RestJson.ok(
        rc,
        200,
        new JsonObject()
            .put(
                "output",
                new JsonObject()
                    .put(
                        "message",
                        new JsonObject()
                            .put("role", "assistant")
                            .put("content", new JsonArray().add(answer.block()))))
            .put("stopReason", answer.stopReason())
            .put("usage", usage)
            .put("metrics", metrics));
  }

  /**
   * The ConverseStream events, each an event-stream message: start, the block (text deltas, or a
   * tool use's start and its input in two fragments), stops, metadata.
   */
  private void streamConverse(
      RoutingContext rc, ConverseTurns.Answer answer, JsonObject usage, JsonObject metrics) {
    rc.response()
        .setStatusCode(200)
        .putHeader("Content-Type", "application/vnd.amazon.eventstream")
        .setChunked(true);
    faults
        .hit(service(), rc.get("faultScope"), Fault.Kind.STREAM_ERROR)
        .ifPresent(f -> rc.put("streamErrorAfter", f.status()));
    writeEvent(rc, "messageStart", new JsonObject().put("role", "assistant"));
    JsonObject toolUse = answer.block().getJsonObject("toolUse");
    if (toolUse != null) {
      writeEvent(
          rc,
          "contentBlockStart",
          new JsonObject()
              .put("contentBlockIndex", 0)
              .put(
                  "start",
                  new JsonObject()
                      .put(
                          "toolUse",
                          new JsonObject()
                              .put("toolUseId", toolUse.getString("toolUseId"))
                              .put("name", toolUse.getString("name")))));
      String input = toolUse.getJsonObject("input").encode();
      int half = input.length() / 2;
      for (String fragment : List.of(input.substring(0, half), input.substring(half))) {
        writeEvent(
            rc,
            "contentBlockDelta",
            new JsonObject()
                .put("contentBlockIndex", 0)
                .put(
                    "delta",
                    new JsonObject().put("toolUse", new JsonObject().put("input", fragment))));
      }
    } else {
      for (String word : answer.block().getString("text").split("(?<= )")) {
        writeEvent(
            rc,
            "contentBlockDelta",
            new JsonObject()
                .put("contentBlockIndex", 0)
                .put("delta", new JsonObject().put("text", word)));
      }
    }
    writeEvent(rc, "contentBlockStop", new JsonObject().put("contentBlockIndex", 0));
    writeEvent(rc, "messageStop", new JsonObject().put("stopReason", answer.stopReason()));
    writeEvent(rc, "metadata", new JsonObject().put("usage", usage).put("metrics", metrics));
    if (!rc.response().ended()) {
      rc.response().end();
    }
  }

  /**
   * Writes one event, unless a STREAM_ERROR fault ends the stream here: then a throttlingException
   * event goes out instead and the response ends; later writes do nothing.
   */
  private static void writeEvent(RoutingContext rc, String type, JsonObject payload) {
    if (rc.response().ended()) {
      return;
    }
    Integer errorAfter = rc.get("streamErrorAfter");
    int written = rc.get("eventsWritten", 0);
    if (errorAfter != null && written >= errorAfter) {
      Map<String, HeaderValue> headers = new LinkedHashMap<>();
      headers.put(":exception-type", HeaderValue.fromString("throttlingException"));
      headers.put(":content-type", HeaderValue.fromString("application/json"));
      headers.put(":message-type", HeaderValue.fromString("exception"));
      write(
          rc,
          new Message(
              headers,
              new JsonObject()
                  .put("message", "Too many tokens, please wait before trying again.")
                  .encode()
                  .getBytes(StandardCharsets.UTF_8)));
      rc.response().end();
      return;
    }
    rc.put("eventsWritten", written + 1);
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("event"));
    write(rc, new Message(headers, payload.encode().getBytes(StandardCharsets.UTF_8)));
  }

  private static void write(RoutingContext rc, Message message) {
    java.nio.ByteBuffer bytes = message.toByteBuffer();
    byte[] out = new byte[bytes.remaining()];
    bytes.get(out);
    rc.response().write(Buffer.buffer(out));
  }

  // ---- OpenAI-compatible Chat Completions ----------------------------------------------------

  private void chat(RoutingContext rc) {
    Target target = rc.get("target");
    JsonObject body = jsonBody(rc);
    String problem = io.crosswind.simulators.core.ChatValidation.chatProblem(body);
    if (problem != null) {
      fail(rc, 400, "ValidationException", problem);
      return;
    }
    JsonArray messages = body.getJsonArray("messages");
    if (!chatModel(rc, target)) {
      return;
    }
    Integer requested = body.getInteger("max_completion_tokens", body.getInteger("max_tokens"));
    int maxTokens = maxTokens(rc, target, requested);
    int prompt = ChatReplies.promptTokens(messages);
    if (maxTokens < 0 || !admit(rc, target, prompt + maxTokens)) {
      return;
    }
    String model = body.getString("model");
    String text = ChatReplies.reply(servedBy(target), messages);
    String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    long created = clock.instant().getEpochSecond();
    JsonObject call;
    try {
      call = io.crosswind.simulators.core.ChatTools.forcedCall(body);
    } catch (IllegalArgumentException e) {
      fail(rc, 400, "ValidationException", e.getMessage());
      return;
    }
    if (call != null) {
      toolCall(rc, body, id, model, created, call, prompt);
      return;
    }
    if (body.getBoolean("stream", false)) {
      boolean usage =
          body.getJsonObject("stream_options", new JsonObject()).getBoolean("include_usage", false);
      rc.response()
          .setStatusCode(200)
          .putHeader("Content-Type", "text/event-stream")
          .setChunked(true);
      for (JsonObject chunk : ChatReplies.chunks(id, model, created, text, prompt, usage)) {
        rc.response().write("data: " + chunk.encode() + "\n\n");
      }
      rc.response().end("data: [DONE]\n\n");
      return;
    }
    sendJson(rc, 200, ChatReplies.completion(id, model, created, text, prompt));
  }

  // ---- OpenAI-compatible Responses -----------------------------------------------------------

  private void respond(RoutingContext rc) {
    Target target = rc.get("target");
    String region = rc.get("region");
    JsonObject body = jsonBody(rc);
    ResponsesApi.Turns turns = responses.turns(body, region);
    if (turns.refusal() != null) {
      ResponsesApi.Refusal refusal = turns.refusal();
      openAiError(
          rc,
          refusal.status(),
          "invalid_request_error",
          refusal.code(),
          refusal.param(),
          refusal.message());
      return;
    }
    if (!chatModel(rc, target)) {
      return;
    }
    int maxTokens = maxTokens(rc, target, body.getInteger("max_output_tokens"));
    int prompt = ChatReplies.promptTokens(turns.conversation());
    if (maxTokens < 0 || !admit(rc, target, prompt + maxTokens)) {
      return;
    }
    String text = ChatReplies.reply(servedBy(target), turns.conversation());
    responses.answer(
        rc, body, region, turns, body.getString("model"), text, clock.instant().getEpochSecond());
  }

  // ---- errors --------------------------------------------------------------------------------

  private static boolean openAiPath(RoutingContext rc) {
    return Boolean.TRUE.equals(rc.get("openai"));
  }

  /**
   * An AWS error (x-amzn-ErrorType) on AWS paths, the same status in OpenAI's shape on OpenAI
   * paths.
   */
  private static void fail(RoutingContext rc, int status, String awsCode, String message) {
    if (!openAiPath(rc)) {
      RestJson.error(rc, status, awsCode, message);
      return;
    }
    String type =
        switch (status) {
          case 401, 403 -> "permission_error";
          case 404 -> "not_found_error";
          case 429 -> "rate_limit_error";
          default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    openAiError(rc, status, type, status == 429 ? "rate_limit_exceeded" : awsCode, null, message);
  }

  private static void openAiError(
      RoutingContext rc, int status, String type, String code, String param, String message) {
    if (rc.response().ended()) {
      return;
    }
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(
            new JsonObject()
                .put(
                    "error",
                    new JsonObject()
                        .put("message", message)
                        .put("type", type)
                        .put("param", param)
                        .put("code", code))
                .encode());
  }

  @Override
  protected void sendThrottled(RoutingContext rc, Fault fault) {
    fail(rc, 429, "ThrottlingException", "Too many requests, please wait before trying again.");
  }

  @Override
  protected void sendError(
      RoutingContext rc, int status, String code, String message, long retryAfterSeconds) {
    fail(rc, status, RestJson.exceptionFor(code), message);
  }
}
