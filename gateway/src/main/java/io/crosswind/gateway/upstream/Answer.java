package io.crosswind.gateway.upstream;

import io.crosswind.gateway.converse.ConverseStreamTranslator.UpstreamStreamError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * The client's side of one request, as a relay writes an upstream's answer to it. Every method is a
 * no-op once the request has finished (answered, failed, or the client went away).
 */
interface Answer {

  HttpServerResponse out();

  /** Sends the status line and headers: from here on the answer is this target's. */
  void commit(int status, String contentType, String target);

  /**
   * Relays an upstream body with back-pressure (the upstream pauses while the client's queue is
   * full): each buffer to {@code each}, then {@code end}; a broken upstream ends the answer broken.
   */
  void relay(Attempt attempt, HttpClientResponse response, Consumer<Buffer> each, Runnable end);

  /** Ends the answer, with a last buffer or none. */
  void end(Buffer last, String target);

  /** The upstream broke after the answer began: the client's connection is reset. */
  void brokenAfterCommit(Attempt attempt);

  /** Ends the request with an error in OpenAI's shape. */
  void fail(int status, String target, JsonObject error);

  /**
   * A stream reported an exception: before the answer began, the request may go to the next target;
   * after, the client gets the error as the stream's last event.
   */
  void streamFailed(
      Attempt attempt, HttpClientResponse response, UpstreamStreamError error, boolean committed);

  /** Counts the tokens of an OpenAI {@code usage} object (chat or responses names). */
  void countTokens(String target, JsonObject usage);
}
