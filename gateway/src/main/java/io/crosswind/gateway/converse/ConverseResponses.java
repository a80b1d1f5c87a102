package io.crosswind.gateway.converse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A Converse answer as an OpenAI {@code chat.completion}: text blocks joined into the message's
 * content, {@code toolUse} blocks as {@code tool_calls} (input as a JSON string of arguments), the
 * stop reason as {@code finish_reason}, and usage with cached prompt tokens.
 */
public final class ConverseResponses {

  private ConverseResponses() {}

  /** OpenAI's finish_reason for a Converse stopReason. */
  public static String finishReason(String stopReason) {
    if (stopReason == null) {
      return "stop";
    }
    return switch (stopReason) {
      case "tool_use" -> "tool_calls";
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "content_filtered", "guardrail_intervened" -> "content_filter";
      default -> "stop"; // end_turn, stop_sequence
    };
  }

  /** OpenAI's usage object from Converse's. */
  public static JsonObject usage(JsonObject usage) {
    if (usage == null) {
      return null;
    }
    int input = usage.getInteger("inputTokens", 0);
    int output = usage.getInteger("outputTokens", 0);
    JsonObject out =
        new JsonObject()
            .put("prompt_tokens", input)
            .put("completion_tokens", output)
            .put("total_tokens", usage.getInteger("totalTokens", input + output));
    Integer cached = usage.getInteger("cacheReadInputTokens");
    if (cached != null) {
      out.put("prompt_tokens_details", new JsonObject().put("cached_tokens", cached));
    }
    return out;
  }

  public static JsonObject completion(JsonObject converse, String id, String model, long created) {
    JsonObject message =
        converse.getJsonObject("output", new JsonObject()).getJsonObject("message");
    StringBuilder text = new StringBuilder();
    JsonArray toolCalls = new JsonArray();
    if (message != null) {
      for (Object b : message.getJsonArray("content", new JsonArray())) {
        JsonObject block = (JsonObject) b;
        if (block.getString("text") != null) {
          text.append(block.getString("text"));
        } else if (block.getJsonObject("toolUse") != null) {
          JsonObject use = block.getJsonObject("toolUse");
          toolCalls.add(
              toolCall(use.getString("toolUseId"), use.getString("name"), arguments(use)));
        }
      }
    }
    JsonObject reply = new JsonObject().put("role", "assistant");
    reply.put("content", text.isEmpty() && !toolCalls.isEmpty() ? null : text.toString());
    if (!toolCalls.isEmpty()) {
      reply.put("tool_calls", toolCalls);
    }
    JsonObject completion =
        envelope(
            "chat.completion",
            id,
            created,
            model,
            onlyChoice("message", reply, finishReason(converse.getString("stopReason"))));
    JsonObject usage = usage(converse.getJsonObject("usage"));
    if (usage != null) {
      completion.put("usage", usage);
    }
    return completion;
  }

  /** OpenAI's envelope of a completion or a chunk. */
  static JsonObject envelope(
      String object, String id, long created, String model, JsonArray choices) {
    return new JsonObject()
        .put("id", id)
        .put("object", object)
        .put("created", created)
        .put("model", model)
        .put("choices", choices);
  }

  /** The one choice of an answer: its message (or delta) and finish reason. */
  static JsonArray onlyChoice(String field, JsonObject value, String finishReason) {
    return new JsonArray()
        .add(new JsonObject().put("index", 0).put(field, value).put("finish_reason", finishReason));
  }

  static JsonObject toolCall(String id, String name, String arguments) {
    return new JsonObject()
        .put("id", id)
        .put("type", "function")
        .put("function", new JsonObject().put("name", name).put("arguments", arguments));
  }

  private static String arguments(JsonObject use) {
    Object input = use.getValue("input");
    if (input == null) {
      return "{}";
    }
    return input instanceof JsonObject o
        ? o.encode()
        : input instanceof JsonArray a ? a.encode() : String.valueOf(input);
  }
}
