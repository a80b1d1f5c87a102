package io.crosswind.operator.cloud.bedrock;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter per target for failures that waiting cures (throttling, an
 * unreachable service): the n-th failure in a row waits a random time between half and all of
 * {@code base * 2^(n-1)}, at most {@link #CAP}, so many throttled targets do not come back at once.
 */
final class RetryBackoff {

  static final Duration CAP = Duration.ofMinutes(10);

  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final RandomGenerator random;

  RetryBackoff(RandomGenerator random) {
    this.random = random;
  }

  Duration next(String subject, Duration base) {
    int n = failures.merge(subject, 1, Integer::sum);
    long ceiling = Math.min(CAP.toMillis(), base.toMillis() << Math.min(n - 1, 20));
    return Duration.ofMillis(ceiling / 2 + random.nextLong(ceiling / 2 + 1));
  }

  void reset(String subject) {
    failures.remove(subject);
  }
}
