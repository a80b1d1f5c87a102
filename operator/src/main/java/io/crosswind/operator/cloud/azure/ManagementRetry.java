package io.crosswind.operator.cloud.azure;

import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.RetryStrategy;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * How the management pipeline retries inside one reconcile: twice, quickly, on a dropped connection
 * or a 5xx; never on 429. A throttled call fails at once and the reconcile is rescheduled after the
 * {@code Retry-After} the service sent, so that no reconcile thread sleeps through a throttling
 * window.
 */
final class ManagementRetry implements RetryStrategy {

  @Override
  public int getMaxRetries() {
    return 2;
  }

  @Override
  public Duration calculateRetryDelay(int retryAttempt) {
    return Duration.ofMillis(500L << Math.min(retryAttempt, 4));
  }

  @Override
  public boolean shouldRetry(HttpResponse response) {
    int status = response.getStatusCode();
    return status >= 500 && status != 501 && status != 505;
  }

  @Override
  public boolean shouldRetryException(Throwable error) {
    return error instanceof IOException || error instanceof TimeoutException;
  }
}
