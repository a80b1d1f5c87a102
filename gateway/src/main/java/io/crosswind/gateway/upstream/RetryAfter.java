package io.crosswind.gateway.upstream;

import io.vertx.core.MultiMap;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The wait a 429 asks for: {@code retry-after-ms} (Azure), else {@code Retry-After}. */
final class RetryAfter {

  private RetryAfter() {}

  /** Milliseconds to wait, or -1 when the answer names none. */
  static long millis(MultiMap headers, Clock clock) {
    String ms = headers.get("retry-after-ms");
    if (ms != null) {
      try {
        return Math.max(0, (long) Double.parseDouble(ms.trim()));
      } catch (NumberFormatException e) {
        // fall through to Retry-After
      }
    }
    String after = headers.get("Retry-After");
    if (after == null) {
      return -1;
    }
    try {
      return Math.max(0, Long.parseLong(after.trim()) * 1000);
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(after.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, at.toInstant().toEpochMilli() - clock.millis());
      } catch (DateTimeParseException notADate) {
        return -1;
      }
    }
  }
}
