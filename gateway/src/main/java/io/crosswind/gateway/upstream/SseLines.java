package io.crosswind.gateway.upstream;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a server-sent-event stream into lines as its buffers arrive, holding only the unfinished
 * last line; the bytes themselves pass through untouched elsewhere.
 */
final class SseLines {

  private static final int MAX_LINE = 1 << 20;

  private final Consumer<String> line;
  private Buffer partial = Buffer.buffer();

  SseLines(Consumer<String> line) {
    this.line = line;
  }

  void feed(Buffer chunk) {
    int start = 0;
    for (int i = 0; i < chunk.length(); i++) {
      if (chunk.getByte(i) == '\n') {
        Buffer piece = chunk.getBuffer(start, i);
        if (partial.length() > 0) {
          piece = partial.appendBuffer(piece);
          partial = Buffer.buffer();
        }
        line.accept(strip(piece.toString(StandardCharsets.UTF_8)));
        start = i + 1;
      }
    }
    if (start < chunk.length()) {
      partial.appendBuffer(chunk.getBuffer(start, chunk.length()));
      if (partial.length() > MAX_LINE) {
        partial = Buffer.buffer(); // not a line anyone reads; do not hold it
      }
    }
  }

  private static String strip(String s) {
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
