package io.crosswind.simulators.core;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The shape checks Chat Completions services make before anything else, worded as OpenAI words
 * them: a request that fails one is a 400 (the caller's mistake), never a 500. Azure OpenAI and
 * Bedrock's OpenAI-compatible APIs answer each in their own error shape; Converse words its own.
 */
public final class ChatValidation {

  private static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool", "function");

  private ChatValidation() {}

  /** Why the Chat Completions request is malformed, or null when its messages are well formed. */
  public static String chatProblem(JsonObject body) {
    if (body == null) {
      return "We could not parse the JSON body of your request.";
    }
    Object messages = body.getValue("messages");
    if (messages == null) {
      return "Missing required parameter: 'messages'.";
    }
    if (!(messages instanceof JsonArray list)) {
      return "Invalid type for 'messages': expected an array of objects, but got "
          + typeOf(messages)
          + " instead.";
    }
    if (list.isEmpty()) {
      return "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an"
          + " empty array instead.";
    }
    for (int i = 0; i < list.size(); i++) {
      String at = "messages[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject message)) {
        return "Invalid type for '"
            + at
            + "': expected an object, but got "
            + typeOf(list.getValue(i))
            + " instead.";
      }
      Object role = message.getValue("role");
      if (role == null) {
        return "Missing required parameter: '" + at + ".role'.";
      }
      if (!(role instanceof String name) || !ROLES.contains(name)) {
        return "Invalid value: '"
            + role
            + "'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and"
            + " 'developer'.";
      }
      Object content = message.getValue("content");
      if (content != null && !(content instanceof String) && !(content instanceof JsonArray)) {
        return "Invalid type for '"
            + at
            + ".content': expected one of a string or array of objects, but got "
            + typeOf(content)
            + " instead.";
      }
    }
    return null;
  }

  /**
   * Why the Converse request is malformed, worded as Bedrock's validation does, or null. Only the
   * shape is checked here; the simulator checks the conversation's order itself.
   */
  public static String converseProblem(JsonObject body) {
    if (body == null) {
      return "Malformed input request, please reformat your input and try again.";
    }
    Object messages = body.getValue("messages");
    if (messages != null && !(messages instanceof JsonArray)) {
      return "1 validation error detected: Value at 'messages' failed to satisfy constraint:"
          + " Member must be a list";
    }
    JsonArray list = (JsonArray) messages;
    for (int i = 0; list != null && i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject message)) {
        return "1 validation error detected: Value null at 'messages."
            + (i + 1)
            + ".member' failed to satisfy constraint: Member must not be null";
      }
      if (!(message.getValue("role") instanceof String)
          || !(message.getValue("content") instanceof JsonArray)) {
        return "1 validation error detected: Value at 'messages."
            + (i + 1)
            + ".member' failed to satisfy constraint: Member must have a role and a list of"
            + " content blocks";
      }
    }
    return null;
  }

  private static String typeOf(Object value) {
    return switch (value) {
      case null -> "null";
      case String s -> "a string";
      case Boolean b -> "a boolean";
      case Integer i -> "an integer";
      case Long l -> "an integer";
      case Number n -> "a decimal";
      case JsonObject o -> "an object";
      case JsonArray a -> "an array";
      default -> "an unknown type";
    };
  }
}
