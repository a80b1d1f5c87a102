package io.crosswind.gateway.upstream;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * Reads an upstream's whole answer, up to a limit: what the gateway holds of one non-streamed
 * answer or error body is bounded, whatever the upstream sends.
 */
final class BoundedBody {

  /** The largest non-streamed answer relayed (far above any completion's size). */
  static final int MAX_ANSWER = 64 << 20;

  /** What is kept of an error body: its start, which says what went wrong. */
  static final int MAX_ERROR = 64 << 10;

  /** The answer was longer than the limit. */
  static final class TooLarge extends RuntimeException {
    TooLarge(int limit) {
      super("the upstream's answer is larger than " + limit + " bytes", null, false, false);
    }
  }

  private BoundedBody() {}

  /** The whole body, or a failed future with {@link TooLarge} (the request is then reset). */
  static Future<Buffer> read(HttpClientResponse response, int limit) {
    return read(response, limit, false);
  }

  /** The body's first {@code limit} bytes; the rest is not read (the request is reset). */
  static Future<Buffer> start(HttpClientResponse response, int limit) {
    return read(response, limit, true);
  }

  private static Future<Buffer> read(HttpClientResponse response, int limit, boolean truncate) {
    Promise<Buffer> done = Promise.promise();
    Buffer body = Buffer.buffer();
    response.handler(
        chunk -> {
          if (done.future().isComplete()) {
            return;
          }
          if (body.length() + chunk.length() > limit) {
            response.handler(null).endHandler(null).exceptionHandler(null);
            response.request().reset();
            if (truncate) {
              body.appendBuffer(chunk, 0, limit - body.length());
              done.tryComplete(body);
            } else {
              done.tryFail(new TooLarge(limit));
            }
            return;
          }
          body.appendBuffer(chunk);
        });
    response.exceptionHandler(done::tryFail);
    response.endHandler(v -> done.tryComplete(body));
    return done.future();
  }
}
