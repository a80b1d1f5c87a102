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

  private static final ThreadLocal<Work> CURRENT = ThreadLocal.withInitial(() -> Work.USER_VISIBLE);

  private final double budget;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
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
    Work before = CURRENT.get();
    CURRENT.set(work);
    try {
      return action.get();
    } finally {
      CURRENT.set(before);
    }
  }

  /** The work the calls of this thread are for. */
  public static Work current() {
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
    if (budget == 0) {
      return;
    }
    Work work = CURRENT.get();
    Duration limit = work == Work.BACKGROUND ? MAX_WAIT_BACKGROUND : MAX_WAIT;
    long started = System.nanoTime();
    Optional<Duration> wait;
    while ((wait = tryAcquire(cloud, scope, published, work)).isPresent()) {
      long waited = System.nanoTime() - started;
      if (waited + wait.get().toNanos() > limit.toNanos()) {
        throw new Paced(cloud, wait.get());
      }
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(wait.get().toNanos(), 1_000_000_000L));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Paced(cloud, Duration.ofSeconds(1));
      }
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
    Bucket bucket = buckets.computeIfAbsent(cloud + "|" + scope, k -> bucket(published));
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

  private Bucket bucket(Limit published) {
    double perSecond = Math.max(0.05, published.perSecond() * budget);
    long periodNanos = Math.round(1_000_000_000L / perSecond);
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
