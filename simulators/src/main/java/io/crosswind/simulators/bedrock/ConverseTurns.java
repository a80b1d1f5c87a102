package io.crosswind.simulators.bedrock;

import io.crosswind.simulators.core.ChatReplies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * How the simulated models answer a Converse conversation, as the Converse API defines it:
 *
 * <ul>
 *   <li>text blocks and the text of {@code toolResult} blocks make up what a turn says;
 *   <li>a {@code toolChoice} of {@code any} or {@code tool} forces a tool call (the named tool, or
 *       the first), with an input that fills the schema's required properties from the last user
 *       text; {@code auto} or none answers in text;
 *   <li>a text answer stops at the first of the {@code stopSequences} it contains ({@code
 *       stop_sequence}), or is cut at {@code maxTokens} ({@code max_tokens}), else {@code
 *       end_turn}.
 * </ul>
 */
final class ConverseTurns {

  /** The answer's one content block, its stop reason and its length in tokens. */
  record Answer(JsonObject block, String stopReason, int outputTokens) {}

  private ConverseTurns() {}

  static boolean hasToolBlocks(JsonArray messages) {
    for (Object m : messages) {
      for (Object b : ((JsonObject) m).getJsonArray("content", new JsonArray())) {
        JsonObject block = (JsonObject) b;
        if (block.containsKey("toolUse") || block.containsKey("toolResult")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The tool spec a forced tool choice calls, or null; none is forced once the last turn carries
   * its results.
   *
   * @throws IllegalArgumentException when the choice names a tool the config does not have
   */
  static JsonObject forcedTool(JsonObject toolConfig, JsonArray messages) {
    if (toolConfig == null) {
      return null;
    }
    JsonArray tools = toolConfig.getJsonArray("tools", new JsonArray());
    JsonObject choice = toolConfig.getJsonObject("toolChoice", new JsonObject());
    JsonObject last = messages.getJsonObject(messages.size() - 1);
    boolean answeringResults =
        last.getJsonArray("content", new JsonArray()).stream()
            .anyMatch(b -> ((JsonObject) b).containsKey("toolResult"));
    if (tools.isEmpty() || answeringResults) {
      return null;
    }
    if (choice.containsKey("tool")) {
      String name = choice.getJsonObject("tool").getString("name");
      return tools.stream()
          .map(t -> ((JsonObject) t).getJsonObject("toolSpec"))
          .filter(spec -> spec != null && name != null && name.equals(spec.getString("name")))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "The tool " + name + " named in toolChoice is not in toolConfig.tools."));
    }
    if (choice.containsKey("any")) {
      return tools.getJsonObject(0).getJsonObject("toolSpec");
    }
    return null;
  }

  /** The conversation as chat messages (role and text), for the reply text and token counts. */
  static JsonArray asChat(JsonArray system, JsonArray messages) {
    JsonArray chat = new JsonArray();
    for (Object s : system) {
      chat.add(
          new JsonObject()
              .put("role", "system")
              .put("content", ((JsonObject) s).getString("text", "")));
    }
    for (Object m : messages) {
      JsonObject message = (JsonObject) m;
      StringBuilder text = new StringBuilder();
      for (Object b : message.getJsonArray("content", new JsonArray())) {
        JsonObject block = (JsonObject) b;
        text.append(block.getString("text", ""));
        JsonObject result = block.getJsonObject("toolResult");
        if (result != null) {
          for (Object c : result.getJsonArray("content", new JsonArray())) {
            JsonObject part = (JsonObject) c;
            text.append(
                part.containsKey("json")
                    ? String.valueOf(part.getValue("json"))
                    : part.getString("text", ""));
          }
        }
      }
      chat.add(
          new JsonObject().put("role", message.getString("role")).put("content", text.toString()));
    }
    return chat;
  }

  static Answer toolUse(JsonObject spec, JsonArray chat) {
    String lastText = "";
    for (int i = chat.size() - 1; i >= 0; i--) {
      if ("user".equals(chat.getJsonObject(i).getString("role"))) {
        lastText = chat.getJsonObject(i).getString("content", "");
        break;
      }
    }
    JsonObject schema =
        spec.getJsonObject("inputSchema", new JsonObject()).getJsonObject("json", new JsonObject());
    JsonObject input = io.crosswind.simulators.core.ChatTools.arguments(schema, lastText);
    JsonObject block =
        new JsonObject()
            .put(
                "toolUse",
                new JsonObject()
                    .put("toolUseId", "tooluse_" + UUID.randomUUID().toString().replace("-", ""))
                    .put("name", spec.getString("name"))
                    .put("input", input));
    return new Answer(block, "tool_use", ChatReplies.tokens(input.encode()));
  }

  static Answer text(String reply, Integer maxTokens, JsonArray stopSequences) {
    String text = reply;
    String stop = "end_turn";
    int cut = -1;
    for (Object s : stopSequences) {
      int at = s == null || String.valueOf(s).isEmpty() ? -1 : text.indexOf(String.valueOf(s));
      if (at >= 0 && (cut < 0 || at < cut)) {
        cut = at;
      }
    }
    if (cut >= 0) {
      text = text.substring(0, cut);
      stop = "stop_sequence";
    }
    if (maxTokens != null && ChatReplies.tokens(text) > maxTokens) {
      text = text.substring(0, Math.min(text.length(), maxTokens * 4));
      stop = "max_tokens";
    }
    return new Answer(new JsonObject().put("text", text), stop, ChatReplies.tokens(text));
  }
}
