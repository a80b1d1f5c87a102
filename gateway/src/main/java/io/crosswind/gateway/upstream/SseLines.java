package io.crosswind.gateway.upstream;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Splits a server-sent-event stream into lines as its buffers arrive, holding only the unfinished
 * last line, and at most {@link #MAX_LINE} bytes of it. A longer line is not held: its bytes go to
 * the oversized consumer as they arrive, the last piece with its newline, so that a relay can pass
 * it through untouched and the framing of the stream stays right for any line length.
 */
final class SseLines {

  static final int MAX_LINE = 1 << 20;

  private final Consumer<String> line;
  private final BiConsumer<Buffer, Boolean> oversized;
  private Buffer partial = Buffer.buffer();
  private boolean overflowing;

  /** Lines only: an oversized line is skipped whole. */
  SseLines(Consumer<String> line) {
    this(line, (piece, last) -> {});
  }

  /**
   * @param oversized the pieces of a line longer than {@link #MAX_LINE}, in order; {@code true}
   *     with the last piece, which ends with the newline
   */
  SseLines(Consumer<String> line, BiConsumer<Buffer, Boolean> oversized) {
    this.line = line;
    this.oversized = oversized;
  }

  void feed(Buffer chunk) {
    int start = 0;
    for (int i = 0; i < chunk.length(); i++) {
      if (chunk.getByte(i) != '\n') {
        continue;
      }
      if (overflowing) {
        oversized.accept(chunk.getBuffer(start, i + 1), true);
        overflowing = false;
      } else {
        Buffer piece = chunk.getBuffer(start, i);
        if (partial.length() > 0) {
          piece = partial.appendBuffer(piece);
          partial = Buffer.buffer();
        }
        line.accept(strip(piece.toString(StandardCharsets.UTF_8)));
      }
      start = i + 1;
    }
    if (start == chunk.length()) {
      return;
    }
    if (overflowing) {
      oversized.accept(chunk.getBuffer(start, chunk.length()), false);
      return;
    }
    partial.appendBuffer(chunk.getBuffer(start, chunk.length()));
    if (partial.length() > MAX_LINE) {
      oversized.accept(partial, false);
      partial = Buffer.buffer();
      overflowing = true;
    }
  }

  private static String strip(String s) {
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
