package io.crosswind.simulators.core;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request-rate limits the clouds publish for their management APIs, enforced with token buckets
 * as the clouds enforce them, and a count of every call they refused, so a test or a benchmark
 * fails when the operator goes over them.
 *
 * <p>A bucket holds {@code capacity} tokens and gains {@code refillPerSecond} a second; a call
 * takes one and is refused (the cloud's 429 or throttling error, with the wait in {@code
 * Retry-After}) when the bucket is empty. The figures are the published defaults (see
 * docs/simulators.md), scaled by {@link #scale()} so that a test can reach them with a few dozen
 * endpoints instead of thousands; 0 turns enforcement off.
 */
public final class ManagementLimits {

  /** One published limit: a bucket of {@code capacity} refilled at {@code perSecond}. */
  public record Limit(long capacity, double perSecond) {
    /** The limit scaled, never below one token or one token in ten seconds. */
    Limit scaled(double factor) {
      return new Limit(
          Math.max(1, Math.round(capacity * factor)), Math.max(0.1, perSecond * factor));
    }
  }

  /** The answer to one call: let through or not, what is left, and how long until a token. */
  public record Verdict(boolean allowed, long remaining, long retryAfterSeconds) {}

  /** Azure Resource Manager, per subscription and principal and per tenant and principal. */
  public static final Limit ARM_READS = new Limit(250, 25);

  public static final Limit ARM_WRITES = new Limit(200, 10);
  public static final Limit ARM_DELETES = new Limit(200, 10);

  /**
   * STS: 600 requests a second per account and region, all STS APIs together. AWS's IAM user guide
   * lists STS request quotas; the figure could not be read from its stored copy here and is the one
   * users report (docs/simulators.md).
   */
  public static final Limit STS = new Limit(600, 600);

  /**
   * Bedrock's control-plane request rates per account, region and API. AWS lists them in Service
   * Quotas (service code bedrock); the stored copies of the quota table here do not hold the rows,
   * so these are conservative figures of our own, at or below what accounts are given: 1 a second
   * for creates, updates and deletes, 5 for listings and tagging, 10 for gets.
   */
  private static final Limit BEDROCK_MUTATE = new Limit(1, 1);

  private static final Limit BEDROCK_LIST = new Limit(5, 5);
  private static final Limit BEDROCK_GET = new Limit(10, 10);

  private final double scale;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();

  private ManagementLimits(double scale) {
    if (scale < 0 || Double.isNaN(scale)) {
      throw new IllegalArgumentException("scale must be 0 or more, not " + scale);
    }
    this.scale = scale;
  }

  /** The published limits, as the clouds enforce them. */
  public static ManagementLimits published() {
    return new ManagementLimits(1);
  }

  /** The published limits multiplied by {@code factor}: 0.1 is a tenth of each bucket and rate. */
  public static ManagementLimits scaled(double factor) {
    return new ManagementLimits(factor);
  }

  /** No limits at all. */
  public static ManagementLimits off() {
    return new ManagementLimits(0);
  }

  public double scale() {
    return scale;
  }

  /**
   * Takes a token from the bucket named {@code key}, made with {@code limit} (scaled) the first
   * time; always allowed when enforcement is off.
   */
  public Verdict take(String key, Limit limit) {
    if (scale == 0) {
      return new Verdict(true, limit.capacity(), 0);
    }
    Limit scaled = limit.scaled(scale);
    Bucket bucket = buckets.computeIfAbsent(key, k -> bucket(scaled));
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return new Verdict(true, probe.getRemainingTokens(), 0);
    }
    long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    return new Verdict(false, 0, seconds);
  }

  /** The published rate of a Bedrock control-plane API. */
  public static Limit bedrock(String operation) {
    if (operation.startsWith("Create")
        || operation.startsWith("Update")
        || operation.startsWith("Delete")) {
      return BEDROCK_MUTATE;
    }
    if (operation.startsWith("List") && !operation.equals("ListTagsForResource")
        || operation.endsWith("TagResource")) {
      return BEDROCK_LIST;
    }
    return BEDROCK_GET;
  }

  /** The bucket a Bedrock API draws from: each API has its own. */
  public static String bedrockBucket(String operation) {
    return operation;
  }

  /** Counts a call refused by a limit, as "service/operation". */
  public void refused(Service service, String operation) {
    refused
        .computeIfAbsent(service.id() + "/" + operation, k -> new AtomicLong())
        .incrementAndGet();
  }

  /** Calls refused because a limit was reached, by "service/operation", sorted. */
  public Map<String, Long> refusals() {
    Map<String, Long> out = new TreeMap<>();
    refused.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** All calls refused because a limit was reached. */
  public long refusedTotal() {
    return refused.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** Forgets the refusals counted so far (the buckets keep their tokens, as the clouds do). */
  public void resetRefusals() {
    refused.clear();
  }

  private static Bucket bucket(Limit limit) {
    long periodNanos = Math.round(1_000_000_000L / limit.perSecond());
    return Bucket.builder()
        .addLimit(
            Bandwidth.builder()
                .capacity(limit.capacity())
                .refillGreedy(1, Duration.ofNanos(periodNanos))
                .build())
        .build();
  }
}
