package io.crosswind.gateway.converse;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;

/**
 * An OpenAI Chat Completions request as a Bedrock Converse request (API 2023-09-30), decided
 * without I/O:
 *
 * <ul>
 *   <li>{@code system} and {@code developer} messages become {@code system} text blocks;
 *   <li>{@code user} content (a string, or text and {@code data:} image parts) becomes text and
 *       image blocks; an image by URL is refused, as Converse takes only bytes;
 *   <li>{@code assistant} messages keep their text and turn {@code tool_calls} into {@code toolUse}
 *       blocks (arguments parsed from their JSON string);
 *   <li>{@code tool} messages become {@code toolResult} blocks of a user turn;
 *   <li>consecutive turns of one role are merged, as Converse requires alternating roles;
 *   <li>{@code tools} and {@code tool_choice} become {@code toolConfig} ({@code auto}, {@code
 *       required} as {@code any}, a named function as {@code tool}; {@code none} leaves the tools
 *       out unless the conversation already holds tool blocks, which Converse refuses without
 *       them);
 *   <li>{@code max_completion_tokens} or {@code max_tokens}, {@code temperature}, {@code top_p} and
 *       {@code stop} become {@code inferenceConfig}.
 * </ul>
 */
public final class ConverseRequests {

  /** A request Converse cannot express; the client gets a 400 with this message. */
  public static final class Unsupported extends RuntimeException {
    private final String param;

    public Unsupported(String param, String message) {
      super(message);
      this.param = param;
    }

    public String param() {
      return param;
    }
  }

  private ConverseRequests() {}

  public static JsonObject translate(JsonObject chat) {
    try {
      return translateChecked(chat);
    } catch (ClassCastException | NullPointerException e) {
      // Hostile input the checks do not foresee (a null where an object belongs, a number where
      // text does) is still the caller's mistake: a 400, never a 500 or a hung request.
      throw new Unsupported(null, "A field of the request has the wrong type for this model.");
    }
  }

  private static JsonObject translateChecked(JsonObject chat) {
    if (chat.getInteger("n", 1) != 1) {
      throw new Unsupported("n", "This model serves one choice per request: 'n' must be 1.");
    }
    JsonArray messages = chat.getJsonArray("messages");
    if (messages == null || messages.isEmpty()) {
      throw new Unsupported("messages", "'messages' is a required property and may not be empty.");
    }
    JsonArray system = new JsonArray();
    JsonArray turns = new JsonArray();
    boolean toolBlocks = false;
    for (int i = 0; i < messages.size(); i++) {
      if (!(messages.getValue(i) instanceof JsonObject message)) {
        throw new Unsupported("messages[" + i + "]", "Each message must be an object.");
      }
      String role = message.getString("role", "");
      switch (role) {
        case "system", "developer" -> {
          for (String text : texts(message.getValue("content"), "messages[" + i + "].content")) {
            system.add(new JsonObject().put("text", text));
          }
        }
        case "user" -> append(turns, "user", userBlocks(message, i));
        case "assistant" -> {
          JsonArray blocks = new JsonArray();
          for (String text : texts(message.getValue("content"), "messages[" + i + "].content")) {
            if (!text.isEmpty()) {
              blocks.add(new JsonObject().put("text", text));
            }
          }
          JsonArray calls = message.getJsonArray("tool_calls");
          if (calls != null) {
            for (int c = 0; c < calls.size(); c++) {
              blocks.add(
                  toolUse(calls.getJsonObject(c), "messages[" + i + "].tool_calls[" + c + "]"));
              toolBlocks = true;
            }
          }
          append(turns, "assistant", blocks);
        }
        case "tool" -> {
          String id = message.getString("tool_call_id");
          if (id == null) {
            throw new Unsupported(
                "messages[" + i + "].tool_call_id", "A tool message needs its 'tool_call_id'.");
          }
          JsonArray content = new JsonArray();
          for (String text : texts(message.getValue("content"), "messages[" + i + "].content")) {
            content.add(new JsonObject().put("text", text));
          }
          append(
              turns,
              "user",
              new JsonArray()
                  .add(
                      new JsonObject()
                          .put(
                              "toolResult",
                              new JsonObject().put("toolUseId", id).put("content", content))));
          toolBlocks = true;
        }
        default ->
            throw new Unsupported(
                "messages[" + i + "].role", "Unknown message role '" + role + "'.");
      }
    }
    JsonObject converse = new JsonObject().put("messages", turns);
    if (!system.isEmpty()) {
      converse.put("system", system);
    }
    JsonObject inference = inferenceConfig(chat);
    if (!inference.isEmpty()) {
      converse.put("inferenceConfig", inference);
    }
    JsonObject toolConfig = toolConfig(chat, toolBlocks);
    if (toolConfig != null) {
      converse.put("toolConfig", toolConfig);
    }
    return converse;
  }

  private static void append(JsonArray turns, String role, JsonArray blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    if (!turns.isEmpty()) {
      JsonObject last = turns.getJsonObject(turns.size() - 1);
      if (role.equals(last.getString("role"))) {
        last.getJsonArray("content").addAll(blocks);
        return;
      }
    }
    turns.add(new JsonObject().put("role", role).put("content", blocks));
  }

  private static JsonArray userBlocks(JsonObject message, int index) {
    Object content = message.getValue("content");
    JsonArray blocks = new JsonArray();
    if (content instanceof String text) {
      return blocks.add(new JsonObject().put("text", text));
    }
    if (!(content instanceof JsonArray parts)) {
      throw new Unsupported(
          "messages[" + index + "].content", "A user message needs text or content parts.");
    }
    for (int p = 0; p < parts.size(); p++) {
      JsonObject part = parts.getJsonObject(p);
      String param = "messages[" + index + "].content[" + p + "]";
      switch (part.getString("type", "")) {
        case "text" -> blocks.add(new JsonObject().put("text", part.getString("text", "")));
        case "image_url" -> blocks.add(image(part.getJsonObject("image_url"), param));
        default ->
            throw new Unsupported(
                param, "Content part type '" + part.getString("type") + "' is not served here.");
      }
    }
    return blocks;
  }

  private static JsonObject image(JsonObject imageUrl, String param) {
    String url = imageUrl == null ? null : imageUrl.getString("url");
    // data:image/png;base64,....
    if (url == null || !url.startsWith("data:image/") || !url.contains(";base64,")) {
      throw new Unsupported(
          param, "Images must be sent inline as data:image/...;base64 URLs for this model.");
    }
    String format = url.substring("data:image/".length(), url.indexOf(';'));
    if (format.equals("jpg")) {
      format = "jpeg";
    }
    if (!List.of("png", "jpeg", "gif", "webp").contains(format)) {
      throw new Unsupported(param, "Image format '" + format + "' is not supported.");
    }
    String data = url.substring(url.indexOf(";base64,") + ";base64,".length());
    try {
      Base64.getDecoder().decode(data);
    } catch (IllegalArgumentException e) {
      throw new Unsupported(param, "The image is not valid base64.");
    }
    return new JsonObject()
        .put(
            "image",
            new JsonObject()
                .put("format", format)
                .put("source", new JsonObject().put("bytes", data)));
  }

  private static JsonObject toolUse(JsonObject call, String param) {
    JsonObject function = call.getJsonObject("function");
    if (function == null || function.getString("name") == null || call.getString("id") == null) {
      throw new Unsupported(param, "A tool call needs an 'id' and a function 'name'.");
    }
    String arguments = function.getString("arguments", "{}");
    Object input;
    try {
      input = arguments.isBlank() ? new JsonObject() : new JsonObject(arguments);
    } catch (DecodeException e) {
      throw new Unsupported(param, "The tool call's 'arguments' are not a JSON object.");
    }
    return new JsonObject()
        .put(
            "toolUse",
            new JsonObject()
                .put("toolUseId", call.getString("id"))
                .put("name", function.getString("name"))
                .put("input", input));
  }

  /** The text of message content: a string, or the text parts of an array. */
  private static List<String> texts(Object content, String param) {
    if (content == null) {
      return List.of();
    }
    if (content instanceof String text) {
      return List.of(text);
    }
    if (content instanceof JsonArray parts) {
      return parts.stream()
          .map(p -> (JsonObject) p)
          .filter(p -> "text".equals(p.getString("type")))
          .map(p -> p.getString("text", ""))
          .toList();
    }
    throw new Unsupported(param, "Message content must be a string or an array of parts.");
  }

  private static JsonObject inferenceConfig(JsonObject chat) {
    JsonObject inference = new JsonObject();
    Integer max = chat.getInteger("max_completion_tokens", chat.getInteger("max_tokens"));
    if (max != null) {
      inference.put("maxTokens", max);
    }
    if (chat.getValue("temperature") instanceof Number t) {
      inference.put("temperature", t.doubleValue());
    }
    if (chat.getValue("top_p") instanceof Number p) {
      inference.put("topP", p.doubleValue());
    }
    Object stop = chat.getValue("stop");
    if (stop instanceof String s) {
      inference.put("stopSequences", new JsonArray().add(s));
    } else if (stop instanceof JsonArray list && !list.isEmpty()) {
      inference.put("stopSequences", list.copy());
    }
    return inference;
  }

  private static JsonObject toolConfig(JsonObject chat, boolean toolBlocks) {
    JsonArray tools = chat.getJsonArray("tools");
    if (tools == null || tools.isEmpty()) {
      if (toolBlocks) {
        throw new Unsupported(
            "tools", "The conversation holds tool calls: send the 'tools' they belong to.");
      }
      return null;
    }
    Object choice = chat.getValue("tool_choice");
    if ("none".equals(choice) && !toolBlocks) {
      return null;
    }
    JsonArray specs = new JsonArray();
    for (int i = 0; i < tools.size(); i++) {
      JsonObject tool = tools.getJsonObject(i);
      JsonObject function = tool.getJsonObject("function");
      if (!"function".equals(tool.getString("type", "function"))
          || function == null
          || function.getString("name") == null) {
        throw new Unsupported("tools[" + i + "]", "Only function tools with a name are served.");
      }
      JsonObject spec =
          new JsonObject()
              .put("name", function.getString("name"))
              .put(
                  "inputSchema",
                  new JsonObject()
                      .put(
                          "json",
                          function.getJsonObject(
                              "parameters", new JsonObject().put("type", "object"))));
      if (function.getString("description") != null) {
        spec.put("description", function.getString("description"));
      }
      specs.add(new JsonObject().put("toolSpec", spec));
    }
    JsonObject config = new JsonObject().put("tools", specs);
    if ("required".equals(choice)) {
      config.put("toolChoice", new JsonObject().put("any", new JsonObject()));
    } else if (choice instanceof JsonObject named && named.getJsonObject("function") != null) {
      config.put(
          "toolChoice",
          new JsonObject()
              .put(
                  "tool",
                  new JsonObject().put("name", named.getJsonObject("function").getString("name"))));
    } else if ("auto".equals(choice)) {
      config.put("toolChoice", new JsonObject().put("auto", new JsonObject()));
    }
    return config;
  }
}
