package io.crosswind.gateway.converse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * ConverseStream events (decoded from the AWS event stream by the SDK's {@code MessageDecoder}) as
 * OpenAI {@code chat.completion.chunk} objects, one event at a time:
 *
 * <ul>
 *   <li>{@code messageStart}: the first chunk, {@code delta.role = assistant};
 *   <li>{@code contentBlockStart} with a {@code toolUse}: a tool call's id and name, at the next
 *       tool-call index;
 *   <li>{@code contentBlockDelta}: text as {@code delta.content}, tool input as the tool call's
 *       {@code function.arguments} fragments;
 *   <li>{@code messageStop}: a chunk with the {@code finish_reason};
 *   <li>{@code metadata}: usage, as a last chunk with no choices, when the client asked for it
 *       ({@code stream_options.include_usage});
 *   <li>an exception message: an {@link UpstreamStreamError}.
 * </ul>
 */
public final class ConverseStreamTranslator {

  /** An error the stream carried instead of an event, with the status AWS gives it. */
  public record UpstreamStreamError(String type, String message, int status) {}

  private static final String CHUNK = "chat.completion.chunk";

  private final String id;
  private final String model;
  private final long created;
  private final boolean includeUsage;
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
  private JsonObject usage;
  private String finish;

  public ConverseStreamTranslator(String id, String model, long created, boolean includeUsage) {
    this.id = id;
    this.model = model;
    this.created = created;
    this.includeUsage = includeUsage;
  }

  /** The chunks for one event; an exception event throws. */
  public List<JsonObject> onMessage(Message message) {
    String messageType = header(message, ":message-type");
    if ("exception".equals(messageType) || "error".equals(messageType)) {
      String type =
          "exception".equals(messageType)
              ? header(message, ":exception-type")
              : header(message, ":error-code");
      String text = new String(message.getPayload(), StandardCharsets.UTF_8);
      String detail;
      try {
        detail = new JsonObject(text).getString("message", text);
      } catch (RuntimeException e) {
        detail = text;
      }
      throw new StreamFailure(new UpstreamStreamError(type, detail, statusOf(type)));
    }
    String event = header(message, ":event-type");
    JsonObject payload =
        message.getPayload().length == 0
            ? new JsonObject()
            : new JsonObject(new String(message.getPayload(), StandardCharsets.UTF_8));
    List<JsonObject> out = new ArrayList<>();
    switch (event == null ? "" : event) {
      case "messageStart" ->
          out.add(chunk(new JsonObject().put("role", "assistant").put("content", ""), null));
      case "contentBlockStart" -> {
        JsonObject use = payload.getJsonObject("start", new JsonObject()).getJsonObject("toolUse");
        if (use != null) {
          int index = toolIndexByBlock.size();
          toolIndexByBlock.put(payload.getInteger("contentBlockIndex", 0), index);
          JsonObject call =
              ConverseResponses.toolCall(use.getString("toolUseId"), use.getString("name"), "")
                  .put("index", index);
          out.add(chunk(new JsonObject().put("tool_calls", new JsonArray().add(call)), null));
        }
      }
      case "contentBlockDelta" -> {
        JsonObject delta = payload.getJsonObject("delta", new JsonObject());
        if (delta.getString("text") != null) {
          out.add(chunk(new JsonObject().put("content", delta.getString("text")), null));
        } else if (delta.getJsonObject("toolUse") != null) {
          Integer index = toolIndexByBlock.get(payload.getInteger("contentBlockIndex", 0));
          if (index != null) {
            JsonObject call =
                new JsonObject()
                    .put("index", index)
                    .put(
                        "function",
                        new JsonObject()
                            .put(
                                "arguments",
                                delta.getJsonObject("toolUse").getString("input", "")));
            out.add(chunk(new JsonObject().put("tool_calls", new JsonArray().add(call)), null));
          }
        }
      }
      case "messageStop" -> {
        finish = ConverseResponses.finishReason(payload.getString("stopReason"));
        out.add(chunk(new JsonObject(), finish));
      }
      case "metadata" -> {
        usage = ConverseResponses.usage(payload.getJsonObject("usage"));
        if (includeUsage && usage != null) {
          out.add(
              ConverseResponses.envelope(CHUNK, id, created, model, new JsonArray())
                  .put("usage", usage));
        }
      }
      default -> {
        // contentBlockStop and events this gateway does not translate (reasoning) add nothing.
      }
    }
    return out;
  }

  /** The usage the stream reported, or null. */
  public JsonObject usage() {
    return usage;
  }

  /** Whether messageStop arrived. */
  public boolean finished() {
    return finish != null;
  }

  private JsonObject chunk(JsonObject delta, String finishReason) {
    return ConverseResponses.envelope(
        CHUNK, id, created, model, ConverseResponses.onlyChoice("delta", delta, finishReason));
  }

  private static String header(Message message, String name) {
    HeaderValue value = message.getHeaders().get(name);
    return value == null ? null : value.getString();
  }

  /** The HTTP status Bedrock gives an exception of this type. */
  static int statusOf(String type) {
    if (type == null) {
      return 500;
    }
    return switch (type) {
      case "throttlingException" -> 429;
      case "validationException" -> 400;
      case "serviceUnavailableException", "modelNotReadyException" -> 503;
      case "modelTimeoutException" -> 408;
      case "modelStreamErrorException" -> 424;
      default -> 500;
    };
  }

  /** Thrown by {@link #onMessage(Message)} for an exception event. */
  public static final class StreamFailure extends RuntimeException {
    private final transient UpstreamStreamError error;

    StreamFailure(UpstreamStreamError error) {
      super(error.type() + ": " + error.message());
      this.error = error;
    }

    public UpstreamStreamError error() {
      return error;
    }
  }
}
