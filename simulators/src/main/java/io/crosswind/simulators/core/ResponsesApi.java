package io.crosswind.simulators.core;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAI Responses API ({@code POST /responses}) as the simulated providers serve it (Bedrock's
 * OpenAI-compatible runtime, Azure OpenAI's v1 API), shaped as OpenAI's API reference: a string or
 * a list of messages as {@code input}, {@code instructions}, {@code previous_response_id} to
 * continue a stored conversation, {@code store} (true by default), and the answer as one response
 * object or as SSE events ({@code response.created}, {@code response.output_text.delta}, {@code
 * response.output_text.done}, {@code response.completed}). Stored responses are kept per scope (a
 * region, an account): an id made elsewhere is not found, as on the real services.
 */
public final class ResponsesApi {

  /** A request refused before it is served, in OpenAI's error terms. */
  public record Refusal(int status, String code, String param, String message) {}

  /**
   * A request's conversation as chat messages (the stored turns it continues, its instructions, its
   * input), or why it is refused.
   */
  public record Turns(JsonArray conversation, String previousId, Refusal refusal) {}

  private record Stored(String scope, JsonArray conversation) {}

  private final Map<String, Stored> stored = new ConcurrentHashMap<>();

  /** Reads the request: the conversation it continues (made in {@code scope}) and its input. */
  public Turns turns(JsonObject body, String scope) {
    JsonArray conversation = new JsonArray();
    String previous = body.getString("previous_response_id");
    if (previous != null) {
      Stored before = stored.get(previous);
      if (before == null || !before.scope().equals(scope)) {
        return refused(
            404,
            "previous_response_not_found",
            "previous_response_id",
            "Previous response with id '" + previous + "' not found.");
      }
      conversation.addAll(before.conversation());
    }
    if (body.getString("instructions") != null) {
      conversation.add(
          new JsonObject().put("role", "system").put("content", body.getString("instructions")));
    }
    JsonArray input = inputMessages(body.getValue("input"));
    if (input == null || input.isEmpty()) {
      return refused(
          400, "missing_required_parameter", "input", "Missing required parameter: 'input'.");
    }
    return new Turns(conversation.addAll(input), previous, null);
  }

  /**
   * Answers with {@code text}: stores the turn in {@code scope} unless the request says {@code
   * "store": false}, and sends the response object, or its events when the request streams.
   */
  public void answer(
      RoutingContext rc,
      JsonObject body,
      String scope,
      Turns turns,
      String model,
      String text,
      long createdAt) {
    int prompt = ChatReplies.promptTokens(turns.conversation());
    int output = ChatReplies.tokens(text);
    String id = "resp_" + UUID.randomUUID().toString().replace("-", "");
    if (body.getBoolean("store", true)) {
      JsonArray conversation =
          turns
              .conversation()
              .copy()
              .add(new JsonObject().put("role", "assistant").put("content", text));
      stored.put(id, new Stored(scope, conversation));
    }
    JsonObject response =
        new JsonObject()
            .put("id", id)
            .put("object", "response")
            .put("created_at", createdAt)
            .put("status", "completed")
            .put("model", model)
            .put("previous_response_id", turns.previousId())
            .put(
                "output",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("type", "message")
                            .put("id", "msg_" + UUID.randomUUID().toString().replace("-", ""))
                            .put("status", "completed")
                            .put("role", "assistant")
                            .put(
                                "content",
                                new JsonArray()
                                    .add(
                                        new JsonObject()
                                            .put("type", "output_text")
                                            .put("text", text)
                                            .put("annotations", new JsonArray())))))
            .put(
                "usage",
                new JsonObject()
                    .put("input_tokens", prompt)
                    .put("output_tokens", output)
                    .put("total_tokens", prompt + output));
    if (!body.getBoolean("stream", false)) {
      rc.response()
          .setStatusCode(200)
          .putHeader("Content-Type", "application/json")
          .end(response.encode());
      return;
    }
    rc.response()
        .setStatusCode(200)
        .putHeader("Content-Type", "text/event-stream")
        .setChunked(true);
    JsonObject started =
        response.copy().put("status", "in_progress").put("output", new JsonArray());
    started.remove("usage");
    sse(
        rc,
        "response.created",
        new JsonObject().put("type", "response.created").put("response", started));
    for (String word : text.split("(?<= )")) {
      sse(
          rc,
          "response.output_text.delta",
          new JsonObject()
              .put("type", "response.output_text.delta")
              .put("output_index", 0)
              .put("content_index", 0)
              .put("delta", word));
    }
    sse(
        rc,
        "response.output_text.done",
        new JsonObject()
            .put("type", "response.output_text.done")
            .put("output_index", 0)
            .put("content_index", 0)
            .put("text", text));
    sse(
        rc,
        "response.completed",
        new JsonObject().put("type", "response.completed").put("response", response));
    rc.response().end();
  }

  private static Turns refused(int status, String code, String param, String message) {
    return new Turns(null, null, new Refusal(status, code, param, message));
  }

  private static void sse(RoutingContext rc, String event, JsonObject data) {
    rc.response().write("event: " + event + "\ndata: " + data.encode() + "\n\n");
  }

  /** The Responses API input as chat messages: a string, or a list of messages. */
  private static JsonArray inputMessages(Object input) {
    JsonArray out = new JsonArray();
    if (input instanceof String text) {
      return out.add(new JsonObject().put("role", "user").put("content", text));
    }
    if (!(input instanceof JsonArray items)) {
      return null;
    }
    for (Object item : items) {
      JsonObject message = (JsonObject) item;
      Object content = message.getValue("content");
      StringBuilder text = new StringBuilder();
      if (content instanceof JsonArray parts) {
        parts.forEach(p -> text.append(((JsonObject) p).getString("text", "")));
      } else if (content != null) {
        text.append(content);
      }
      out.add(
          new JsonObject()
              .put("role", message.getString("role", "user"))
              .put("content", text.toString()));
    }
    return out;
  }
}
