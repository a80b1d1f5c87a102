package io.crosswind.gateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive circuit breaking per endpoint and target: a target that fails {@code threshold} attempts
 * in a row (refused, timed out, 429 or 5xx) is skipped for {@code coolDown}; after that one request
 * tries it again, and it closes on the first success or opens again on the next failure. The state
 * is per gateway replica and survives route-table changes.
 */
public final class CircuitBreakers {

  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakers.class);

  private static final class State {
    int failures;
    Instant openUntil = Instant.MIN;
  }

  private final int threshold;
  private final Duration coolDown;
  private final Clock clock;
  private final Map<String, State> states = new ConcurrentHashMap<>();
  private final BiConsumer<String, String> firstSeen;

  /**
   * @param firstSeen called once for each endpoint and target that fails, so metrics can register
   */
  public CircuitBreakers(
      int threshold, Duration coolDown, Clock clock, BiConsumer<String, String> firstSeen) {
    this.threshold = Math.max(1, threshold);
    this.coolDown = coolDown;
    this.clock = clock;
    this.firstSeen = firstSeen;
  }

  private static String key(String endpoint, String target) {
    return endpoint + "\u0000" + target;
  }

  public boolean open(String endpoint, String target) {
    State state = states.get(key(endpoint, target));
    if (state == null) {
      return false;
    }
    synchronized (state) {
      return state.openUntil.isAfter(clock.instant());
    }
  }

  public void succeeded(String endpoint, String target) {
    State state = states.get(key(endpoint, target));
    if (state != null) {
      synchronized (state) {
        if (state.failures >= threshold) {
          LOG.info("circuit of {} target {} closed: it answered again", endpoint, target);
        }
        state.failures = 0;
        state.openUntil = Instant.MIN;
      }
    }
  }

  /**
   * Skips the target for the {@code Retry-After} it sent (at most the cool-down), whatever its
   * count of failures: it said when it can take more.
   */
  public void backOff(String endpoint, String target, long millis) {
    State state = state(endpoint, target);
    synchronized (state) {
      Instant until = clock.instant().plusMillis(Math.min(millis, coolDown.toMillis()));
      if (until.isAfter(state.openUntil)) {
        state.openUntil = until;
      }
    }
  }

  private State state(String endpoint, String target) {
    return states.computeIfAbsent(
        key(endpoint, target),
        k -> {
          firstSeen.accept(endpoint, target);
          return new State();
        });
  }

  public void failed(String endpoint, String target) {
    State state = state(endpoint, target);
    synchronized (state) {
      state.failures++;
      if (state.failures >= threshold) {
        Instant now = clock.instant();
        if (!state.openUntil.isAfter(now)) {
          LOG.warn(
              "circuit of {} target {} open for {} after {} failures in a row",
              endpoint,
              target,
              coolDown,
              state.failures);
        }
        state.openUntil = now.plus(coolDown);
      }
    }
  }
}
