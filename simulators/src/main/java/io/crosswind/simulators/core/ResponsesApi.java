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
 * object or as the SSE event sequence OpenAI specifies, each with its {@code sequence_number}
 * ({@code response.created}, {@code response.in_progress}, {@code response.output_item.added},
 * {@code response.content_part.added}, {@code response.output_text.delta} with its {@code item_id},
 * then the {@code .done} events and {@code response.completed}). Stored responses are kept per
 * scope (a region, an account): an id made elsewhere is not found, as on the real services.
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
    String itemId = "msg_" + UUID.randomUUID().toString().replace("-", "");
    JsonObject part =
        new JsonObject()
            .put("type", "output_text")
            .put("text", text)
            .put("annotations", new JsonArray());
    JsonObject item =
        new JsonObject()
            .put("type", "message")
            .put("id", itemId)
            .put("status", "completed")
            .put("role", "assistant")
            .put("content", new JsonArray().add(part));
    JsonObject response =
        new JsonObject()
            .put("id", id)
            .put("object", "response")
            .put("created_at", createdAt)
            .put("status", "completed")
            .put("model", model)
            .put("previous_response_id", turns.previousId())
            .put("output", new JsonArray().add(item))
            .put(
                "usage",
                new JsonObject()
                    .put("input_tokens", prompt)
                    .put("output_tokens", output)
                    .put("total_tokens", prompt + output));
    if (!Boolean.TRUE.equals(body.getValue("stream"))) {
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
    // The event sequence OpenAI specifies for one text message, each event numbered.
    Events events = new Events(rc);
    JsonObject started =
        response.copy().put("status", "in_progress").put("output", new JsonArray());
    started.remove("usage");
    events.send("response.created", new JsonObject().put("response", started));
    events.send("response.in_progress", new JsonObject().put("response", started));
    events.send(
        "response.output_item.added",
        new JsonObject()
            .put("output_index", 0)
            .put("item", item.copy().put("status", "in_progress").put("content", new JsonArray())));
    JsonObject at =
        new JsonObject().put("item_id", itemId).put("output_index", 0).put("content_index", 0);
    events.send("response.content_part.added", at.copy().put("part", part.copy().put("text", "")));
    for (String word : text.split("(?<= )")) {
      events.send(
          "response.output_text.delta",
          at.copy().put("delta", word).put("logprobs", new JsonArray()));
    }
    events.send(
        "response.output_text.done", at.copy().put("text", text).put("logprobs", new JsonArray()));
    events.send("response.content_part.done", at.copy().put("part", part));
    events.send(
        "response.output_item.done", new JsonObject().put("output_index", 0).put("item", item));
    events.send("response.completed", new JsonObject().put("response", response));
    rc.response().end();
  }

  /** Server-sent events of one stream, with their type and sequence number. */
  private static final class Events {
    private final RoutingContext rc;
    private int sequence;

    Events(RoutingContext rc) {
      this.rc = rc;
    }

    void send(String type, JsonObject data) {
      JsonObject event = new JsonObject().put("type", type).put("sequence_number", sequence++);
      event.mergeIn(data);
      rc.response().write("event: " + type + "\ndata: " + event.encode() + "\n\n");
    }
  }

  private static Turns refused(int status, String code, String param, String message) {
    return new Turns(null, null, new Refusal(status, code, param, message));
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
