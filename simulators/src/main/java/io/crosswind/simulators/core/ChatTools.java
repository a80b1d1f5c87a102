package io.crosswind.simulators.core;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * How the simulated models use the tools of a Chat Completions request, as OpenAI defines {@code
 * tool_choice}: {@code "required"} calls a tool (the first), {@code {"type": "function",
 * "function": {"name": ...}}} calls that one, {@code "auto"}, {@code "none"} or no choice answer in
 * text; once the last message is a tool's result, the model answers in text. The call's arguments
 * fill the required properties of the tool's schema from the last user message.
 */
public final class ChatTools {

  private ChatTools() {}

  /**
   * The tool call the request forces, or null for a text answer.
   *
   * @throws IllegalArgumentException with OpenAI's message when the choice names a tool the request
   *     does not define
   */
  public static JsonObject forcedCall(JsonObject body) {
    JsonArray tools = body.getValue("tools") instanceof JsonArray t ? t : new JsonArray();
    JsonArray messages = body.getJsonArray("messages");
    JsonObject last = messages.getJsonObject(messages.size() - 1);
    Object choice = body.getValue("tool_choice");
    if (tools.isEmpty() || "tool".equals(last.getString("role"))) {
      return null;
    }
    JsonObject function;
    if (choice instanceof JsonObject named) {
      String name = named.getJsonObject("function", new JsonObject()).getString("name");
      function =
          tools.stream()
              .map(t -> ((JsonObject) t).getJsonObject("function", new JsonObject()))
              .filter(f -> name != null && name.equals(f.getString("name")))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "Invalid value for 'tool_choice': tool '"
                              + name
                              + "' is not in 'tools'."));
    } else if ("required".equals(choice)) {
      function = tools.getJsonObject(0).getJsonObject("function", new JsonObject());
    } else {
      return null;
    }
    return new JsonObject()
        .put("id", "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24))
        .put("type", "function")
        .put(
            "function",
            new JsonObject()
                .put("name", function.getString("name"))
                .put(
                    "arguments",
                    arguments(
                            function.getJsonObject("parameters", new JsonObject()),
                            lastUserText(messages))
                        .encode()));
  }

  private static String lastUserText(JsonArray messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonObject message = messages.getJsonObject(i);
      if ("user".equals(message.getString("role"))) {
        return message.getValue("content") instanceof String text ? text : "";
      }
    }
    return "";
  }

  /**
   * Arguments for a tool with this JSON schema: each required property, a string taking {@code
   * text}, a number 1, a boolean true.
   */
  public static JsonObject arguments(JsonObject schema, String text) {
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    JsonObject arguments = new JsonObject();
    for (Object r : schema.getJsonArray("required", new JsonArray())) {
      String name = String.valueOf(r);
      String type = properties.getJsonObject(name, new JsonObject()).getString("type", "string");
      arguments.put(
          name,
          switch (type) {
            case "integer", "number" -> 1;
            case "boolean" -> true;
            default -> text;
          });
    }
    return arguments;
  }
}
