package io.crosswind.operator.routing;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written the way Kubernetes (and Go's {@code time.ParseDuration}) writes them: {@code
 * 30s}, {@code 5m}, {@code 1h30m}, {@code 1.5s}, {@code 250ms}. The CRD schema uses the same units,
 * so what the API server accepts parses here.
 */
public final class GoDuration {

  private static final Pattern WHOLE = Pattern.compile("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$");
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

  private GoDuration() {}

  /** The duration, or empty when the text is not a duration in these units. */
  public static Optional<Duration> parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      return Optional.empty();
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      BigDecimal value = new BigDecimal(m.group(1));
      long unit =
          switch (m.group(2)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
          };
      nanos = nanos.add(value.multiply(BigDecimal.valueOf(unit)));
    }
    return Optional.of(Duration.ofNanos(nanos.longValueExact()));
  }
}
