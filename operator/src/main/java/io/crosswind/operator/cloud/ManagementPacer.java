package io.crosswind.operator.cloud;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Client-side pacing of management calls, below the limits the clouds publish, so that the operator
 * is never the one that gets a subscription or an account throttled.
 *
 * <p>Each cloud scope that a cloud limits on its own (an ARM subscription and principal and kind of
 * request; a Bedrock account, region and API; STS per account and region) has a token bucket here
 * holding {@code budget} of the published bucket and refilled at {@code budget} of the published
 * rate. A call takes a token before it is sent and waits for one when there is none.
 *
 * <p>Work a person waits for (a new or changed endpoint, a deletion, a target that is not ready)
 * may take the last token; background work (the resync of an endpoint that is ready and unchanged)
 * leaves a quarter of the bucket to it, so a burst of resyncs never delays an applied change by
 * more than the refill of one token.
 */
public final class ManagementPacer {

  /** Who waits for a call. */
  public enum Work {
    /** A person: a new or changed endpoint, a deletion, a target that is not ready. */
    USER_VISIBLE,
    /** Nobody: the periodic check of an endpoint that is ready and unchanged. */
    BACKGROUND
  }

  /** A published limit: a bucket of {@code capacity} calls refilled at {@code perSecond}. */
  public record Limit(long capacity, double perSecond) {}

  /**
   * Azure Resource Manager, per subscription, principal and kind (Microsoft's published figures).
   */
  public static final Limit ARM_READS = new Limit(250, 25);

  public static final Limit ARM_WRITES = new Limit(200, 10);
  public static final Limit ARM_DELETES = new Limit(200, 10);

  /**
   * The longest a call waits for a token before its reconcile gives up and is tried again later:
   * long for work a person waits for, short for background work so that its reconcile threads are
   * free for the other kind.
   */
  static final Duration MAX_WAIT = Duration.ofMinutes(2);

  static final Duration MAX_WAIT_BACKGROUND = Duration.ofSeconds(10);

  /**
   * How many reconcile threads may wait on one bucket at a time. Later callers are not made to wait
   * on a thread: each is given its turn, spaced by the bucket's refill after those already given,
   * and its reconcile comes back then. So a thousand endpoints queued on one slow bucket (Bedrock's
   * creates, say) hold two threads, and endpoints in every other scope keep going.
   */
  static final int MAX_WAITING = 2;

  /** One bucket, the threads waiting on it, and the next turn it gives out. */
  private static final class Scope {
    final Bucket bucket;
    final long periodNanos;
    final java.util.concurrent.atomic.AtomicInteger waiting =
        new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong nextTurn =
        new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);

    Scope(Bucket bucket, long periodNanos) {
      this.bucket = bucket;
      this.periodNanos = periodNanos;
    }

    /** The turns given out and not yet taken, by whose they are. */
    final Map<String, Long> turns = new ConcurrentHashMap<>();

    /** True when turns given out are still to come (or came less than a minute ago). */
    boolean queued(long now) {
      turns.values().removeIf(t -> t < now - STALE_TURN_NANOS);
      return !turns.isEmpty();
    }

    /**
     * A turn after {@code wait}, after the threads waiting, and after every turn given before; kept
     * for {@code who} so that it is served when it comes back.
     */
    Duration turn(String who, Duration wait) {
      long now = System.nanoTime();
      long earliest = now + wait.toNanos() + waiting.get() * periodNanos;
      long turn =
          nextTurn.updateAndGet(
              before ->
                  before == Long.MIN_VALUE ? earliest : Math.max(earliest, before + periodNanos));
      if (who != null) {
        turns.put(who, turn);
      }
      return Duration.ofNanos(turn - now);
    }
  }

  /** A turn not taken within a minute of its time is dropped (its endpoint went, say). */
  static final long STALE_TURN_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** Who calls: the kind of work, and the endpoint it is for (null when none is known). */
  public record Caller(Work work, String who) {}

  private static final ThreadLocal<Caller> CURRENT =
      ThreadLocal.withInitial(() -> new Caller(Work.USER_VISIBLE, null));

  private final double budget;
  private final Map<String, Scope> buckets = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  /**
   * @param budget the share of each published limit the operator allows itself, above 0 and at most
   *     1; 0 turns pacing off
   */
  public ManagementPacer(double budget, MeterRegistry registry) {
    if (budget < 0 || budget > 1 || Double.isNaN(budget)) {
      throw new IllegalArgumentException(
          "the management budget is a share of the published limits, from 0 to 1, not " + budget);
    }
    this.budget = budget;
    this.registry = registry;
  }

  public ManagementPacer(double budget) {
    this(budget, Metrics.globalRegistry);
  }

  /** No pacing at all. */
  public static ManagementPacer off() {
    return new ManagementPacer(0);
  }

  public double budget() {
    return budget;
  }

  /** Runs {@code action} with its cloud calls paced as {@code work}. */
  public static <T> T as(Work work, Supplier<T> action) {
    return as(new Caller(work, CURRENT.get().who()), action);
  }

  /**
   * Runs {@code action} with its cloud calls paced as {@code work} for {@code who} (an endpoint): a
   * turn it is given is kept for it, and served first when its reconcile comes back.
   */
  public static <T> T as(Work work, String who, Supplier<T> action) {
    return as(new Caller(work, who), action);
  }

  /** Runs {@code action} as {@code caller}, on another thread say. */
  public static <T> T as(Caller caller, Supplier<T> action) {
    Caller before = CURRENT.get();
    CURRENT.set(caller);
    try {
      return action.get();
    } finally {
      CURRENT.set(before);
    }
  }

  /** The work the calls of this thread are for. */
  public static Work current() {
    return CURRENT.get().work();
  }

  /** Who the calls of this thread are for. */
  public static Caller caller() {
    return CURRENT.get();
  }

  /**
   * Takes a token for one call in {@code scope} (the cloud, and what the cloud limits by), waiting
   * for it as long as needed; background work waits until a quarter of the bucket is left for
   * others.
   *
   * @param cloud "azure", "bedrock" or "sts", for the metrics
   * @throws Paced when the wait would be longer than {@link #MAX_WAIT} (for background work, {@link
   *     #MAX_WAIT_BACKGROUND})
   */
  public void acquire(String cloud, String scope, Limit published) {
    acquire(cloud, scope, published, MAX_WAIT);
  }

  /**
   * As {@link #acquire(String, String, Limit)}, waiting on the thread no longer than {@code
   * maxWait}: for a wait inside a client's own call timeout.
   */
  public void acquire(String cloud, String scope, Limit published, Duration maxWait) {
    if (budget == 0) {
      return;
    }
    Caller caller = CURRENT.get();
    Work work = caller.work();
    String who = caller.who();
    Duration limit = work == Work.BACKGROUND ? MAX_WAIT_BACKGROUND : MAX_WAIT;
    if (maxWait.compareTo(limit) < 0) {
      limit = maxWait;
    }
    Scope bucket = scope(cloud, scope, published);
    long started = System.nanoTime();
    Long turn = who == null ? null : bucket.turns.get(who);
    if (turn != null && turn - started > bucket.periodNanos) {
      throw new Paced(cloud, Duration.ofNanos(turn - started)); // back too early: keeps its turn
    }
    boolean due = turn != null;
    Optional<Duration> wait = tryAcquire(bucket, published, work);
    if (wait.isPresent()) {
      // A caller whose turn has come waits for its token; others wait on a thread only while few
      // do and nobody holds a turn, else they are given the next turn.
      if (!due && (bucket.waiting.get() >= MAX_WAITING || bucket.queued(started))) {
        throw new Paced(cloud, bucket.turn(who, wait.get()));
      }
      bucket.waiting.incrementAndGet();
      try {
        do {
          long waited = System.nanoTime() - started;
          if (waited + wait.get().toNanos() > limit.toNanos()) {
            throw new Paced(cloud, bucket.turn(who, wait.get()));
          }
          try {
            TimeUnit.NANOSECONDS.sleep(Math.min(wait.get().toNanos(), 1_000_000_000L));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Paced(cloud, Duration.ofSeconds(1));
          }
        } while ((wait = tryAcquire(bucket, published, work)).isPresent());
      } finally {
        bucket.waiting.decrementAndGet();
      }
    }
    if (due) {
      bucket.turns.remove(who);
    }
    long waited = System.nanoTime() - started;
    Counter.builder("crosswind_management_calls_paced")
        .description("Management calls sent through the client-side pacer, by cloud and work")
        .tag("cloud", cloud)
        .tag("work", work.name())
        .register(registry)
        .increment();
    if (waited > 1_000_000L) {
      Timer.builder("crosswind_management_pacing_wait")
          .description("How long management calls waited for the pacer, by cloud and work")
          .tag("cloud", cloud)
          .tag("work", work.name())
          .register(registry)
          .record(waited, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Takes a token now if {@code work} may have one: empty when taken, else about how long until it
   * may. Background work may not take the last quarter of the bucket.
   */
  Optional<Duration> tryAcquire(String cloud, String scope, Limit published, Work work) {
    return tryAcquire(scope(cloud, scope, published), published, work);
  }

  /** Threads waiting on the bucket now, for tests. */
  int waitingOn(String cloud, String scope, Limit published) {
    return scope(cloud, scope, published).waiting.get();
  }

  private Scope scope(String cloud, String scope, Limit published) {
    return buckets.computeIfAbsent(
        cloud + "|" + scope, k -> new Scope(bucket(published), periodNanos(published)));
  }

  private Optional<Duration> tryAcquire(Scope scope, Limit published, Work work) {
    Bucket bucket = scope.bucket;
    long capacity = capacity(published);
    long reserve = work == Work.BACKGROUND ? Math.min(capacity - 1, Math.max(1, capacity / 4)) : 0;
    if (bucket.getAvailableTokens() > reserve && bucket.tryConsume(1)) {
      return Optional.empty();
    }
    long nanos = bucket.estimateAbilityToConsume(reserve + 1).getNanosToWaitForRefill();
    return Optional.of(Duration.ofNanos(Math.max(1_000_000L, nanos)));
  }

  private long capacity(Limit published) {
    return Math.max(1, (long) Math.floor(published.capacity() * budget));
  }

  private long periodNanos(Limit published) {
    double perSecond = Math.max(0.05, published.perSecond() * budget);
    return Math.round(1_000_000_000L / perSecond);
  }

  private Bucket bucket(Limit published) {
    long periodNanos = periodNanos(published);
    return Bucket.builder()
        .addLimit(
            Bandwidth.builder()
                .capacity(capacity(published))
                .refillGreedy(1, Duration.ofNanos(periodNanos))
                .build())
        .build();
  }

  /** A call that would have waited longer than the pacer lets it: the reconcile tries later. */
  public static final class Paced extends RuntimeException {
    private final Duration retryAfter;
    private final String cloud;

    Paced(String cloud, Duration retryAfter) {
      super(
          "Crosswind paces its "
              + cloud
              + " management calls below the published limits and this call's turn is "
              + Math.max(1, retryAfter.toSeconds())
              + " s away; it is tried again then.",
          null,
          false,
          false);
      this.cloud = cloud;
      this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
      return retryAfter;
    }

    public String cloud() {
      return cloud;
    }

    /** The error a target reports while it waits for its turn. */
    public CloudError error() {
      return new CloudError("Paced", getMessage(), retryAfter.plusSeconds(1));
    }
  }
}
