package io.crosswind.gateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive circuit breaking per endpoint and target: a target that fails {@code threshold} attempts
 * in a row (refused, timed out, 429 or 5xx) is skipped for {@code coolDown}; after that it is half
 * open: one request at a time ({@link #admit}, a trial held for at most {@link #TRIAL_LEASE}) tries
 * it while the others still skip it, and it closes on the first success or opens again on the next
 * failure. An active check ({@code CircuitChecks}) may close it before the cool-down ends. The
 * state is per gateway replica and survives route-table changes; {@link #openCircuits()} is what
 * this replica reports to the operator (see {@code CircuitReporter}), and the change listener hears
 * each opening, re-opening and closing.
 */
public final class CircuitBreakers {

  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakers.class);

  /** Why a circuit is open. */
  public enum Cause {
    /** The target failed {@code threshold} attempts in a row. */
    FAILURES,
    /** The target answered 429 with a {@code Retry-After}. */
    RETRY_AFTER
  }

  /**
   * One open circuit.
   *
   * @param failures failed attempts in a row when it (re)opened
   * @param openUntil when the next request may try the target again
   */
  public record Open(
      String endpoint, String target, Cause cause, int failures, Instant openUntil) {}

  /** How long a half-open circuit's trial request holds it before another request may try. */
  public static final Duration TRIAL_LEASE = Duration.ofSeconds(5);

  private static final class State {
    int failures;
    Instant openUntil = Instant.MIN;
    Instant trialUntil = Instant.MIN;
    Cause cause = Cause.FAILURES;
  }

  private final int threshold;
  private final Duration coolDown;
  private final Clock clock;
  private final Map<String, State> states = new ConcurrentHashMap<>();
  private final BiConsumer<String, String> firstSeen;
  private volatile Runnable onChange = () -> {};

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

  /**
   * Told (on the calling thread, so it must be quick) whenever a circuit opens, re-opens or closes.
   */
  public void onChange(Runnable listener) {
    this.onChange = listener;
  }

  /** The circuits open now, by endpoint and target. */
  public List<Open> openCircuits() {
    Instant now = clock.instant();
    List<Open> open = new ArrayList<>();
    states.forEach(
        (key, state) -> {
          synchronized (state) {
            if (state.openUntil.isAfter(now)) {
              int split = key.indexOf('\u0000');
              open.add(
                  new Open(
                      key.substring(0, split),
                      key.substring(split + 1),
                      state.cause,
                      state.failures,
                      state.openUntil));
            }
          }
        });
    open.sort(Comparator.comparing(Open::endpoint).thenComparing(Open::target));
    return open;
  }

  private static String key(String endpoint, String target) {
    return endpoint + "\u0000" + target;
  }

  /** Whether the circuit is open now (a query: it claims no trial). */
  public boolean open(String endpoint, String target) {
    State state = states.get(key(endpoint, target));
    if (state == null) {
      return false;
    }
    synchronized (state) {
      return state.openUntil.isAfter(clock.instant());
    }
  }

  /**
   * Whether a request may go to the target in its turn: yes when the circuit is closed; no while it
   * is open; when half open, yes for one request (which holds the trial until it succeeds, fails or
   * {@link #TRIAL_LEASE} passes) and no for the others meanwhile.
   */
  public boolean admit(String endpoint, String target) {
    State state = states.get(key(endpoint, target));
    if (state == null) {
      return true;
    }
    synchronized (state) {
      Instant now = clock.instant();
      if (state.openUntil.isAfter(now)) {
        return false;
      }
      if (state.failures < threshold) {
        return true;
      }
      if (state.trialUntil.isAfter(now)) {
        return false;
      }
      state.trialUntil = now.plus(TRIAL_LEASE);
      return true;
    }
  }

  public void succeeded(String endpoint, String target) {
    State state = states.get(key(endpoint, target));
    if (state == null) {
      return;
    }
    boolean closed;
    synchronized (state) {
      closed = state.failures >= threshold || state.openUntil != Instant.MIN;
      if (state.failures >= threshold) {
        LOG.info("circuit of {} target {} closed: it answered again", endpoint, target);
      }
      state.failures = 0;
      state.openUntil = Instant.MIN;
      state.trialUntil = Instant.MIN;
    }
    if (closed) {
      onChange.run();
    }
  }

  /**
   * Skips the target for the {@code Retry-After} it sent (at most the cool-down), whatever its
   * count of failures: it said when it can take more.
   */
  public void backOff(String endpoint, String target, long millis) {
    State state = state(endpoint, target);
    boolean changed = false;
    synchronized (state) {
      Instant until = clock.instant().plusMillis(Math.min(millis, coolDown.toMillis()));
      if (until.isAfter(state.openUntil)) {
        if (state.failures < threshold) {
          state.cause = Cause.RETRY_AFTER;
        }
        state.openUntil = until;
        changed = true;
      }
    }
    if (changed) {
      onChange.run();
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
    boolean opened = false;
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
          opened = true;
        }
        state.cause = Cause.FAILURES;
        state.openUntil = now.plus(coolDown);
        state.trialUntil = Instant.MIN;
      }
    }
    if (opened) {
      onChange.run();
    }
  }
}
