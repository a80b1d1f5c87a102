package io.crosswind.operator.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What routing does, as Prometheus sees it: {@code crosswind_failovers_total} (from, to, kind),
 * {@code crosswind_endpoint_active_target} (1 for the target that serves, 0 for the others) and
 * {@code crosswind_probe_seconds} (latency by health), per endpoint; and {@code
 * crosswind_deletions_blocked}, the endpoints whose deletion waits on a person.
 */
public final class RoutingMetrics {

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
  private final Set<String> blocked = ConcurrentHashMap.newKeySet();

  public RoutingMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("crosswind_deletions_blocked", blocked, Set::size)
        .description(
            "Deleted endpoints whose cloud resources cannot be deleted yet (a provisioned"
                + " throughput under commitment, or a cloud error a person must act on); their"
                + " names are in Warning events on the CloudGrant and the endpoint")
        .register(registry);
  }

  /** Counts a deleted endpoint as blocked or not. */
  public void deletionBlocked(String namespace, String endpoint, boolean isBlocked) {
    if (isBlocked) {
      blocked.add(namespace + "/" + endpoint);
    } else {
      blocked.remove(namespace + "/" + endpoint);
    }
  }

  /** Counts one switch of an endpoint's active target. */
  public void switched(String namespace, String endpoint, String from, String to, String kind) {
    Counter.builder("crosswind_failovers")
        .description(
            "Switches of an endpoint's active target, by kind (FailedOver, FailedBack, Pinned)")
        .tags(endpointTags(namespace, endpoint).and("from", from, "to", to, "kind", kind))
        .register(registry)
        .increment();
  }

  /** Sets the active-target gauge of each of the endpoint's targets. */
  public void active(
      String namespace, String endpoint, Collection<String> targets, String serving) {
    for (String target : targets) {
      String key = namespace + "/" + endpoint + "/" + target;
      AtomicInteger value =
          active.computeIfAbsent(
              key,
              k -> {
                AtomicInteger v = new AtomicInteger();
                Gauge.builder("crosswind_endpoint_active_target", v, AtomicInteger::get)
                    .description("1 for the target that serves the endpoint now, 0 for the others")
                    .tags(endpointTags(namespace, endpoint).and("target", target))
                    .register(registry);
                return v;
              });
      value.set(target.equals(serving) ? 1 : 0);
    }
  }

  /** Records one probe. */
  public void probed(
      String namespace, String endpoint, String target, String health, Duration latency) {
    Timer.builder("crosswind_probe")
        .description("Data-plane probes of a target, by the health they found")
        .tags(endpointTags(namespace, endpoint).and("target", target, "health", health))
        .register(registry)
        .record(latency);
  }

  private static Tags endpointTags(String namespace, String endpoint) {
    return Tags.of("namespace", namespace, "endpoint", endpoint);
  }
}
