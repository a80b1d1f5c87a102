package io.crosswind.operator.cloud;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.crosswind.operator.cloud.ManagementPacer.Work;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Reads that many endpoints share (an account's keys, a region's model catalog): one read serves
 * every endpoint that asks within its age, and concurrent askers wait for the one read in flight
 * instead of sending their own.
 *
 * <p>Work a person waits for accepts a younger answer than background work: an applied change sees
 * the cloud as it is now, while the resync of a thousand ready endpoints in one account costs one
 * read of it.
 *
 * @param <V> what is read; never null
 */
public final class SharedReads<V> {

  private record Timed<V>(V value, Instant readAt) {}

  private final Cache<String, Timed<V>> cache;
  private final Duration userVisibleAge;
  private final Duration backgroundAge;
  private final Clock clock;

  /**
   * @param userVisibleAge the oldest answer work a person waits for accepts; zero for none
   * @param backgroundAge the oldest answer background work accepts
   */
  public SharedReads(Duration userVisibleAge, Duration backgroundAge, Clock clock) {
    this.userVisibleAge = userVisibleAge;
    this.backgroundAge = backgroundAge;
    this.clock = clock;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(
                backgroundAge.compareTo(userVisibleAge) > 0 ? backgroundAge : userVisibleAge)
            .build();
  }

  /** The value for {@code key}, read with {@code read} unless a young enough answer is held. */
  public V get(String key, Supplier<V> read) {
    return get(
        key, read, ManagementPacer.current() == Work.BACKGROUND ? backgroundAge : userVisibleAge);
  }

  /**
   * As {@link #get}, accepting only an answer as young as work a person waits for accepts, whoever
   * asks: for a decision that an old answer would make wrongly (creating what a listing taken
   * before it existed does not show).
   */
  public V fresh(String key, Supplier<V> read) {
    return get(key, read, userVisibleAge);
  }

  private V get(String key, Supplier<V> read, Duration age) {
    Instant now = clock.instant();
    Timed<V> timed =
        cache
            .asMap()
            .compute(
                key,
                (k, held) ->
                    held != null && held.readAt().plus(age).isAfter(now)
                        ? held
                        : new Timed<>(read.get(), clock.instant()));
    return timed.value();
  }

  /** Replaces what is held for {@code key} with what a write just answered. */
  public void put(String key, V value) {
    cache.put(key, new Timed<>(value, clock.instant()));
  }

  /** Forgets {@code key}, so that the next ask reads it again. */
  public void forget(String key) {
    cache.invalidate(key);
  }
}
