package io.crosswind.gateway.upstream;

import io.crosswind.wire.RouteTable;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonObject;

/**
 * Relays the answer of an OpenAI-compatible upstream (Azure OpenAI, Bedrock's OpenAI API) as it
 * comes: streamed byte for byte with back-pressure, or whole; token usage counted on the way, and
 * Responses ids tagged with the target that made them and bound to the endpoint, so that a
 * follow-up goes back there, and only through this endpoint ({@link ResponseIds}).
 */
final class OpenAiRelay {

  private OpenAiRelay() {}

  static void relay(
      Answer answer,
      Attempt attempt,
      HttpClientResponse response,
      Operation operation,
      boolean stream,
      RouteTable table) {
    String target = attempt.target();
    answer.commit(response.statusCode(), response.getHeader("Content-Type"), target);
    boolean responses = operation == Operation.RESPONSES;
    if (!stream) {
      BoundedBody.read(response, BoundedBody.MAX_ANSWER)
          .onComplete(
              read -> {
                if (read.failed()) {
                  answer.brokenAfterCommit(attempt);
                  return;
                }
                Buffer body = read.result();
                JsonObject json = Json.object(body);
                if (json != null) {
                  answer.countTokens(target, Json.objectAt(json, "usage"));
                  if (responses && json.getValue("id") instanceof String) {
                    body = tagResponse(json, table, target).toBuffer();
                  }
                }
                answer.end(body, target);
              });
      return;
    }
    answer.out().setChunked(true).putHeader("Cache-Control", "no-cache");
    if (responses) {
      // Each event is rewritten whole, to tag the response ids it carries; one line longer than
      // SseLines.MAX_LINE passes through as it came.
      SseLines lines =
          new SseLines(
              line -> {
                String written = line;
                if (line.startsWith("data:")) {
                  JsonObject event = Json.object(Buffer.buffer(line.substring(5).trim()));
                  if (event != null && event.getValue("response") instanceof JsonObject r) {
                    answer.countTokens(target, Json.objectAt(r, "usage"));
                    event.put("response", tagResponse(r, table, target));
                    written = "data: " + event.encode();
                  }
                }
                answer.out().write(written + "\n");
              },
              // An event too large to hold goes through untouched (its ids untagged).
              (piece, last) -> answer.out().write(piece));
      answer.relay(attempt, response, lines::feed, () -> answer.end(null, target));
      return;
    }
    SseLines usage =
        new SseLines(
            line -> {
              if (line.startsWith("data:") && line.contains("\"usage\"")) {
                JsonObject chunk = Json.object(Buffer.buffer(line.substring(5).trim()));
                if (chunk != null && chunk.getValue("usage") instanceof JsonObject u) {
                  answer.countTokens(target, u);
                }
              }
            });
    answer.relay(
        attempt,
        response,
        buffer -> {
          answer.out().write(buffer);
          usage.feed(buffer);
        },
        () -> answer.end(null, target));
  }

  private static JsonObject tagResponse(JsonObject response, RouteTable table, String target) {
    JsonObject tagged = response.copy();
    if (tagged.getValue("id") instanceof String id) {
      tagged.put("id", ResponseIds.tag(table, target, id));
    }
    if (tagged.getValue("previous_response_id") instanceof String previous) {
      tagged.put("previous_response_id", ResponseIds.tag(table, target, previous));
    }
    return tagged;
  }
}
