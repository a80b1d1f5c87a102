package io.crosswind.simulators.core;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the simulated models answer: a short, deterministic reply that names who answered, so a test
 * can tell which cloud and deployment served a request, with token counts in usage.
 */
public final class ChatReplies {

  private ChatReplies() {}

  /** The reply text for a chat request served by {@code who}. */
  public static String reply(String who, JsonArray messages) {
    String last = "";
    if (messages != null && !messages.isEmpty()) {
      Object content = messages.getJsonObject(messages.size() - 1).getValue("content");
      last = content instanceof String s ? s : String.valueOf(content);
    }
    if (last.length() > 80) {
      last = last.substring(0, 80);
    }
    return "Hello from " + who + ". You said: " + last;
  }

  /** A rough token count, as the services estimate it at admission: four characters a token. */
  public static int tokens(String text) {
    return Math.max(1, (text == null ? 0 : text.length() + 3) / 4);
  }

  public static int promptTokens(JsonArray messages) {
    int tokens = 0;
    if (messages != null) {
      for (int i = 0; i < messages.size(); i++) {
        Object content = messages.getJsonObject(i).getValue("content");
        tokens += 4 + tokens(content == null ? "" : String.valueOf(content));
      }
    }
    return tokens;
  }

  /** An OpenAI chat.completion object. */
  public static JsonObject completion(
      String id, String model, long created, String text, int promptTokens) {
    int completionTokens = tokens(text);
    return new JsonObject()
        .put("id", id)
        .put("object", "chat.completion")
        .put("created", created)
        .put("model", model)
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put(
                            "message",
                            new JsonObject().put("role", "assistant").put("content", text))
                        .put("finish_reason", "stop")))
        .put("usage", usage(promptTokens, completionTokens));
  }

  /** OpenAI's usage object. */
  public static JsonObject usage(int promptTokens, int completionTokens) {
    return new JsonObject()
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
  }

  /** The chat.completion.chunk events of a streamed answer, one word each, then the end. */
  public static java.util.List<JsonObject> chunks(
      String id, String model, long created, String text, int promptTokens, boolean includeUsage) {
    java.util.List<JsonObject> chunks = new java.util.ArrayList<>();
    chunks.add(
        chunk(
            id,
            model,
            created,
            new JsonObject().put("role", "assistant").put("content", ""),
            null));
    String[] words = text.split("(?<= )");
    for (String word : words) {
      chunks.add(chunk(id, model, created, new JsonObject().put("content", word), null));
    }
    chunks.add(chunk(id, model, created, new JsonObject(), "stop"));
    if (includeUsage) {
      chunks.add(usageChunk(id, model, created, promptTokens, tokens(text)));
    }
    return chunks;
  }

  /** An answer that calls a tool: the assistant message with its one tool call. */
  public static JsonObject toolCallCompletion(
      String id, String model, long created, JsonObject call, int promptTokens) {
    JsonObject completion = completion(id, model, created, "", promptTokens);
    JsonObject choice = completion.getJsonArray("choices").getJsonObject(0);
    choice
        .put(
            "message",
            new JsonObject()
                .put("role", "assistant")
                .putNull("content")
                .put("tool_calls", new JsonArray().add(call)))
        .put("finish_reason", "tool_calls");
    completion.put("usage", usage(promptTokens, callTokens(call)));
    return completion;
  }

  /**
   * A streamed tool call as OpenAI streams one: its id and name first, then its arguments, then the
   * finish reason {@code tool_calls}.
   */
  public static java.util.List<JsonObject> toolCallChunks(
      String id,
      String model,
      long created,
      JsonObject call,
      int promptTokens,
      boolean includeUsage) {
    JsonObject function = call.getJsonObject("function");
    java.util.List<JsonObject> chunks = new java.util.ArrayList<>();
    chunks.add(
        chunk(
            id,
            model,
            created,
            new JsonObject()
                .put("role", "assistant")
                .putNull("content")
                .put(
                    "tool_calls",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("index", 0)
                                .put("id", call.getString("id"))
                                .put("type", "function")
                                .put(
                                    "function",
                                    new JsonObject()
                                        .put("name", function.getString("name"))
                                        .put("arguments", "")))),
            null));
    chunks.add(
        chunk(
            id,
            model,
            created,
            new JsonObject()
                .put(
                    "tool_calls",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("index", 0)
                                .put(
                                    "function",
                                    new JsonObject()
                                        .put("arguments", function.getString("arguments"))))),
            null));
    chunks.add(chunk(id, model, created, new JsonObject(), "tool_calls"));
    if (includeUsage) {
      chunks.add(usageChunk(id, model, created, promptTokens, callTokens(call)));
    }
    return chunks;
  }

  private static int callTokens(JsonObject call) {
    return tokens(call.getJsonObject("function").getString("arguments", ""));
  }

  private static JsonObject usageChunk(
      String id, String model, long created, int promptTokens, int completionTokens) {
    return new JsonObject()
        .put("id", id)
        .put("object", "chat.completion.chunk")
        .put("created", created)
        .put("model", model)
        .put("choices", new JsonArray())
        .put("usage", usage(promptTokens, completionTokens));
  }

  private static JsonObject chunk(
      String id, String model, long created, JsonObject delta, String finish) {
    return new JsonObject()
        .put("id", id)
        .put("object", "chat.completion.chunk")
        .put("created", created)
        .put("model", model)
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put("delta", delta)
                        .put("finish_reason", finish)));
  }
}
