package io.crosswind.gateway.upstream;

import io.crosswind.gateway.api.OpenAiErrors;
import io.crosswind.gateway.converse.ConverseResponses;
import io.crosswind.gateway.converse.ConverseStreamTranslator;
import io.crosswind.gateway.converse.ConverseStreamTranslator.StreamFailure;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * Relays a Bedrock Converse answer translated into OpenAI Chat Completions: whole, or
 * ConverseStream's event stream decoded (the AWS SDK's {@link MessageDecoder}) and written as chat
 * completion chunks. Until the first chunk with content, an exception in the stream may still send
 * the request to the next target.
 */
final class ConverseRelay {

  private ConverseRelay() {}

  /**
   * @param model the logical model the client asked for, named in the answer
   * @param includeUsage whether the client asked for a usage chunk ({@code stream_options})
   */
  static void relay(
      Answer answer,
      Attempt attempt,
      HttpClientResponse response,
      boolean stream,
      boolean includeUsage,
      String model,
      Clock clock) {
    String target = attempt.target();
    String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    long created = clock.instant().getEpochSecond();
    if (!stream) {
      BoundedBody.read(response, BoundedBody.MAX_ANSWER)
          .onComplete(
              read -> {
                JsonObject converse = read.succeeded() ? Json.object(read.result()) : null;
                JsonObject completion = null;
                if (converse != null) {
                  try {
                    completion = ConverseResponses.completion(converse, id, model, created);
                  } catch (RuntimeException e) {
                    // JSON, but not of Converse's shape (a block that is no object, a count
                    // that is no number): the upstream's fault, answered as such.
                    completion = null;
                  }
                }
                if (completion == null) {
                  answer.commit(502, "application/json", target);
                  answer.fail(
                      502,
                      target,
                      OpenAiErrors.body(
                          "Target " + target + " sent an answer that is not Converse JSON.",
                          "api_error",
                          null,
                          "upstream_invalid"));
                  return;
                }
                answer.countTokens(target, completion.getJsonObject("usage"));
                answer.commit(200, "application/json", target);
                answer.end(completion.toBuffer(), target);
              });
      return;
    }
    ConverseStreamTranslator translator =
        new ConverseStreamTranslator(id, model, created, includeUsage);
    boolean[] committed = {false};
    boolean[] failed = {false};
    // messageStart alone says nothing the client needs yet: its role chunk waits for the first
    // chunk with content, so that an exception right after it can still go to the next target.
    List<JsonObject> held = new ArrayList<>();
    MessageDecoder decoder =
        new MessageDecoder(
            message -> {
              List<JsonObject> chunks = translator.onMessage(message);
              if (!committed[0]) {
                held.addAll(chunks);
                if (held.stream().allMatch(ConverseRelay::roleOnly)) {
                  return;
                }
                committed[0] = true;
                answer.commit(200, "text/event-stream", target);
                answer.out().setChunked(true).putHeader("Cache-Control", "no-cache");
                chunks = List.copyOf(held);
              }
              for (JsonObject chunk : chunks) {
                answer.out().write("data: " + chunk.encode() + "\n\n");
              }
            });
    answer.relay(
        attempt,
        response,
        buffer -> {
          if (failed[0]) {
            return;
          }
          try {
            decoder.feed(buffer.getBytes());
          } catch (StreamFailure e) {
            failed[0] = true;
            answer.streamFailed(attempt, response, e.error(), committed[0]);
          } catch (RuntimeException e) {
            failed[0] = true;
            answer.streamFailed(
                attempt,
                response,
                new ConverseStreamTranslator.UpstreamStreamError(
                    "invalidEventStream", "The event stream could not be read.", 502),
                committed[0]);
          }
        },
        () -> {
          if (failed[0]) {
            return;
          }
          if (!committed[0]) {
            answer.commit(200, "text/event-stream", target);
            answer.out().setChunked(true);
            held.forEach(chunk -> answer.out().write("data: " + chunk.encode() + "\n\n"));
          }
          answer.countTokens(target, translator.usage());
          answer.out().write("data: [DONE]\n\n");
          answer.end(null, target);
        });
  }

  /** A chunk that only announces the assistant's role: no content, tool call or finish yet. */
  static boolean roleOnly(JsonObject chunk) {
    JsonArray choices = chunk.getJsonArray("choices");
    if (choices == null || choices.isEmpty()) {
      return false;
    }
    JsonObject choice = choices.getJsonObject(0);
    JsonObject delta = choice.getJsonObject("delta", new JsonObject());
    return choice.getValue("finish_reason") == null
        && delta.getValue("tool_calls") == null
        && (delta.getString("content") == null || delta.getString("content").isEmpty());
  }
}
