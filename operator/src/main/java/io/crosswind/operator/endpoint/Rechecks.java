package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.TargetState;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** When an endpoint is reconciled again without an event asking for it. */
final class Rechecks {

  private Rechecks() {}

  /**
   * This endpoint's own resync interval: between three quarters of the configured one and all of
   * it, fixed by its namespace and name. Endpoints applied together would otherwise come back
   * together, every interval, each with its cloud reads; with a phase of their own their resyncs
   * spread over the interval and stay spread.
   */
  static Duration resyncOf(String namespace, String name, Duration resyncInterval) {
    int h = (namespace + "/" + name).hashCode() * 0x9E3779B9;
    h ^= h >>> 16;
    double share = (h & 0xFFFF) / 65536.0;
    long millis = resyncInterval.toMillis();
    return Duration.ofMillis(millis - (long) (millis / 4 * share));
  }

  /**
   * The soonest any target or the routing decision asks for, never sooner than {@link
   * EndpointSettings#MIN_RECHECK}; empty when nothing asks. A ready target is looked at at least
   * every resync interval (drift, a resource deleted outside Crosswind), whatever its provider asks
   * (a key renewal half an hour away); any other keeps the provider's backoff, since its next look
   * may be a mutating call.
   *
   * @param revisit when the routing decision wants another look (a stabilization window ending)
   */
  static Optional<Duration> next(
      List<TargetOutcome> outcomes, Optional<Duration> revisit, Duration resyncInterval) {
    Stream<Duration> targets =
        outcomes.stream()
            .map(
                o -> {
                  Duration asked = o.observation().recheckAfter();
                  if (o.observation().state() != TargetState.Ready) {
                    return asked;
                  }
                  return asked == null || asked.compareTo(resyncInterval) > 0
                      ? resyncInterval
                      : asked;
                })
            .filter(Objects::nonNull);
    return Stream.concat(targets, revisit.stream())
        .min(Duration::compareTo)
        .map(d -> d.compareTo(EndpointSettings.MIN_RECHECK) < 0 ? EndpointSettings.MIN_RECHECK : d);
  }
}
