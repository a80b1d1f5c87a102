package io.crosswind.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseLinesTest {

  @Test
  void linesSplitAcrossBuffersComeWholeWithoutTheirCarriageReturn() {
    List<String> lines = new ArrayList<>();
    SseLines sse = new SseLines(lines::add);

    sse.feed(Buffer.buffer("data: {\"a\""));
    sse.feed(Buffer.buffer(":1}\r\n\ndata: [DO"));
    sse.feed(Buffer.buffer("NE]\n"));

    assertThat(lines).containsExactly("data: {\"a\":1}", "", "data: [DONE]");
  }

  @Test
  void aLineLongerThanTheLimitPassesThroughWholeAndIsNeverSplitIntoLines() {
    List<String> lines = new ArrayList<>();
    Buffer passed = Buffer.buffer();
    List<Boolean> lasts = new ArrayList<>();
    SseLines sse =
        new SseLines(
            lines::add,
            (piece, last) -> {
              passed.appendBuffer(piece);
              lasts.add(last);
            });
    String huge = "data: {\"delta\":\"" + "x".repeat(3 * SseLines.MAX_LINE) + "\"}";

    sse.feed(Buffer.buffer("data: first\n"));
    for (int at = 0; at < huge.length(); at += 64 * 1024) {
      sse.feed(Buffer.buffer(huge.substring(at, Math.min(huge.length(), at + 64 * 1024))));
    }
    sse.feed(Buffer.buffer("\n\ndata: [DONE]\n"));

    assertThat(lines).containsExactly("data: first", "", "data: [DONE]");
    assertThat(passed.toString()).isEqualTo(huge + "\n");
    assertThat(lasts).last().isEqualTo(true);
    assertThat(lasts.subList(0, lasts.size() - 1)).containsOnly(false);
  }
}
