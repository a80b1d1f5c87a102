package io.crosswind.simulators.azure;

import io.crosswind.simulators.azure.AzureState.Account;
import io.crosswind.simulators.azure.AzureState.Deployment;
import io.crosswind.simulators.azure.AzureState.Phase;
import io.crosswind.simulators.core.Calls;
import io.crosswind.simulators.core.ChatReplies;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Faults;
import io.crosswind.simulators.core.ResponsesApi;
import io.crosswind.simulators.core.Service;
import io.crosswind.simulators.core.SimulatedService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Azure OpenAI data plane of every simulated account, at {@code /{customSubdomain}/openai/...}
 * (the account's endpoint as ARM reports it): the v1 API ({@code /openai/v1/chat/completions},
 * {@code /openai/v1/responses} with {@code previous_response_id}, {@code /openai/v1/models}, model
 * = deployment name) and the classic deployment path ({@code
 * /openai/deployments/{deployment}/chat/completions?api-version=...}, the body's model ignored).
 * Authentication with the account's {@code api-key} or an Entra token for Cognitive Services.
 * Standard deployments throttle on tokens per minute estimated at admission (prompt plus
 * max_tokens), with {@code retry-after} and {@code retry-after-ms}.
 */
public final class AzureOpenAiSimulator extends SimulatedService {

  static final int DEFAULT_MAX_TOKENS = 1000;

  private final AzureState state;
  private final EntraTokens tokens;
  private final Map<String, long[]> minuteWindows = new ConcurrentHashMap<>();
  private final ResponsesApi responses = new ResponsesApi();

  public AzureOpenAiSimulator(
      Faults faults, Calls calls, Clock clock, AzureState state, EntraTokens tokens) {
    super(faults, calls, clock);
    this.state = state;
    this.tokens = tokens;
  }

  @Override
  public Service service() {
    return Service.AZURE_OPENAI;
  }

  @Override
  protected void routes(Router router) {
    router.route("/:subdomain/openai/*").handler(this::authenticate);
    router
        .post("/:subdomain/openai/v1/chat/completions")
        .handler(rc -> op(rc, "ChatCompletions_Create", rc2 -> chat(rc2, null)));
    router
        .post("/:subdomain/openai/deployments/:deployment/chat/completions")
        .handler(
            rc ->
                op(
                    rc,
                    "ChatCompletions_Create",
                    rc2 -> {
                      if (rc2.request().getParam("api-version") == null) {
                        openAiError(rc2, 404, "404", "Resource not found");
                        return;
                      }
                      chat(rc2, rc2.pathParam("deployment"));
                    }));
    router
        .post("/:subdomain/openai/v1/responses")
        .handler(rc -> op(rc, "Responses_Create", this::respond));
    router.get("/:subdomain/openai/v1/models").handler(rc -> op(rc, "Models_List", this::models));
  }

  private void op(
      RoutingContext rc, String operation, io.vertx.core.Handler<RoutingContext> action) {
    Account account = (Account) rc.get("account");
    operation(rc, operation, account.name, false, action);
  }

  private void authenticate(RoutingContext rc) {
    Account account = state.accountBySubdomain(rc.pathParam("subdomain"));
    if (account == null) {
      rc.response().setStatusCode(404).end();
      return;
    }
    String apiKey = rc.request().getHeader("api-key");
    String authorization = rc.request().getHeader("Authorization");
    // The v1 API also takes the account key as a bearer token, which is how an unmodified OpenAI
    // SDK sends its api_key.
    if (apiKey == null
        && authorization != null
        && authorization.startsWith("Bearer ")
        && rc.request().path().contains("/openai/v1/")) {
      String bearer = authorization.substring("Bearer ".length());
      if (bearer.equals(account.key1) || bearer.equals(account.key2)) {
        apiKey = bearer;
      }
    }
    boolean keyOk = apiKey != null && (apiKey.equals(account.key1) || apiKey.equals(account.key2));
    boolean tokenOk =
        tokens
            .valid(
                rc.request().getHeader("Authorization"),
                EntraTokens.COGNITIVE_SERVICES_RESOURCE,
                clock.instant())
            .isPresent();
    if (!keyOk && !tokenOk) {
      openAiError(
          rc,
          401,
          "401",
          "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a"
              + " valid key for an active subscription and use a correct regional API endpoint for"
              + " your resource.");
      return;
    }
    rc.put("account", account);
    rc.next();
  }

  private void chat(RoutingContext rc, String classicDeployment) {
    Account account = rc.get("account");
    JsonObject body = jsonBody(rc);
    String problem = io.crosswind.simulators.core.ChatValidation.chatProblem(body);
    if (problem != null) {
      openAiError(rc, 400, "invalid_request_error", problem);
      return;
    }
    String deploymentName = classicDeployment != null ? classicDeployment : body.getString("model");
    Instant now = clock.instant();
    Deployment deployment = deployment(rc, account, deploymentName, now);
    JsonArray messages = body.getJsonArray("messages");
    int prompt = ChatReplies.promptTokens(messages);
    int maxTokens =
        body.getInteger("max_completion_tokens", body.getInteger("max_tokens", DEFAULT_MAX_TOKENS));
    if (deployment == null
        || !admitted(rc, account, deployment, prompt + maxTokens, now, "ChatCompletions_Create")) {
      return;
    }
    String model = deployment.modelName + "-" + deployment.modelVersion;
    String text =
        ChatReplies.reply("azure-openai/" + account.name + "/" + deployment.name, messages);
    String id = "chatcmpl-" + requestId().replace("-", "").substring(0, 24);
    long created = now.getEpochSecond();
    JsonObject call;
    try {
      call = io.crosswind.simulators.core.ChatTools.forcedCall(body);
    } catch (IllegalArgumentException e) {
      openAiError(rc, 400, "invalid_request_error", e.getMessage());
      return;
    }
    rc.response()
        .putHeader("apim-request-id", requestId())
        .putHeader("x-ms-region", account.location);
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

  /** The Responses API on the v1 path: the model is the deployment, conversations per account. */
  private void respond(RoutingContext rc) {
    Account account = rc.get("account");
    JsonObject body = jsonBody(rc);
    if (body == null) {
      openAiError(rc, 400, "invalid_request_error", "The request body is not a JSON object.");
      return;
    }
    ResponsesApi.Turns turns = responses.turns(body, account.name);
    if (turns.refusal() != null) {
      openAiError(rc, turns.refusal().status(), turns.refusal().code(), turns.refusal().message());
      return;
    }
    Instant now = clock.instant();
    Deployment deployment = deployment(rc, account, body.getString("model"), now);
    int prompt = ChatReplies.promptTokens(turns.conversation());
    int maxTokens = body.getInteger("max_output_tokens", DEFAULT_MAX_TOKENS);
    if (deployment == null
        || !admitted(rc, account, deployment, prompt + maxTokens, now, "Responses_Create")) {
      return;
    }
    rc.response()
        .putHeader("apim-request-id", requestId())
        .putHeader("x-ms-region", account.location);
    String text =
        ChatReplies.reply(
            "azure-openai/" + account.name + "/" + deployment.name, turns.conversation());
    responses.answer(
        rc,
        body,
        account.name,
        turns,
        deployment.modelName + "-" + deployment.modelVersion,
        text,
        now.getEpochSecond());
  }

  /** The account's deployment of that name once it has succeeded, or null after a 404. */
  private Deployment deployment(RoutingContext rc, Account account, String name, Instant now) {
    Deployment deployment = name == null ? null : account.deployments.get(name);
    if (deployment == null || deployment.phase(now) != Phase.SUCCEEDED) {
      openAiError(
          rc,
          404,
          "DeploymentNotFound",
          "The API deployment for this resource does not exist. If you created the deployment within"
              + " the last 5 minutes, please wait a moment and try again.");
      return null;
    }
    return deployment;
  }

  /** Whether the deployment's tokens per minute admit the request; a 429 otherwise. */
  private boolean admitted(
      RoutingContext rc,
      Account account,
      Deployment deployment,
      int estimate,
      Instant now,
      String operation) {
    long retryAfterMs = admit(account, deployment, estimate, now);
    if (retryAfterMs <= 0) {
      return true;
    }
    rc.response()
        .putHeader("retry-after", Long.toString((retryAfterMs + 999) / 1000))
        .putHeader("retry-after-ms", Long.toString(retryAfterMs));
    openAiError(
        rc,
        429,
        "429",
        "Requests to the "
            + operation
            + " Operation under Azure OpenAI API version"
            + " 2024-10-21 have exceeded token rate limit of your current OpenAI "
            + deployment.sku
            + " pricing tier. Please retry after "
            + (retryAfterMs + 999) / 1000
            + " seconds.");
    return false;
  }

  /**
   * Admits a request of {@code estimate} tokens against the deployment's tokens per minute, or says
   * how many milliseconds until the next minute frees capacity.
   */
  private long admit(Account account, Deployment deployment, int estimate, Instant now) {
    if (deployment.sku.contains("Provisioned")) {
      return 0;
    }
    long limit = deployment.capacity * 1000L;
    long minute = now.getEpochSecond() / 60;
    String key = account.name + "/" + deployment.name;
    synchronized (minuteWindows) {
      long[] window = minuteWindows.computeIfAbsent(key, k -> new long[] {minute, 0});
      if (window[0] != minute) {
        window[0] = minute;
        window[1] = 0;
      }
      if (window[1] + estimate > limit) {
        return Math.max(1, (minute + 1) * 60_000 - now.toEpochMilli());
      }
      window[1] += estimate;
      return 0;
    }
  }

  private void models(RoutingContext rc) {
    Account account = rc.get("account");
    JsonArray data = new JsonArray();
    account.deployments.values().stream()
        .filter(d -> d.phase(clock.instant()) == Phase.SUCCEEDED)
        .sorted((a, b) -> a.name.compareTo(b.name))
        .forEach(
            d ->
                data.add(
                    new JsonObject()
                        .put("id", d.name)
                        .put("object", "model")
                        .put("created", 0)
                        .put("owned_by", "organization-owner")));
    sendJson(rc, 200, new JsonObject().put("object", "list").put("data", data));
  }

  @Override
  protected void sendThrottled(RoutingContext rc, Fault fault) {
    long ms = Math.max(1, fault.delay().toMillis());
    rc.response()
        .putHeader("retry-after", Long.toString((ms + 999) / 1000))
        .putHeader("retry-after-ms", Long.toString(ms));
    openAiError(
        rc, 429, "429", "Rate limit is exceeded. Try again in " + (ms + 999) / 1000 + " seconds.");
  }

  @Override
  protected String badRequestCode() {
    return "invalid_request_error";
  }

  void openAiError(RoutingContext rc, int status, String code, String message) {
    rc.response().putHeader("apim-request-id", requestId());
    sendJson(
        rc,
        status,
        new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)));
  }

  @Override
  protected void sendError(
      RoutingContext rc, int status, String code, String message, long retryAfterSeconds) {
    if (retryAfterSeconds > 0) {
      rc.response().putHeader("retry-after", Long.toString(retryAfterSeconds));
    }
    openAiError(rc, status, code, message);
  }
}
