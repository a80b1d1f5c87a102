package io.crosswind.simulators.core;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls per service and operation, as the cloud would bill or log them, so tests and benchmarks can
 * assert for example that a steady state makes no mutating call.
 */
public final class Calls {

  /** One counted operation. */
  public record Operation(Service service, String name, boolean mutating) {}

  private final Map<Operation, AtomicLong> counts = new ConcurrentHashMap<>();

  public void record(Service service, String operation, boolean mutating) {
    counts
        .computeIfAbsent(new Operation(service, operation, mutating), o -> new AtomicLong())
        .incrementAndGet();
  }

  public long count(Service service, String operation) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().service() == service && e.getKey().name().equals(operation))
        .mapToLong(e -> e.getValue().get())
        .sum();
  }

  /** Calls that create, change or delete something, across all services. */
  public long mutating() {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().mutating())
        .mapToLong(e -> e.getValue().get())
        .sum();
  }

  public long total() {
    return counts.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** "service/operation" to count, sorted, for the admin API and test failure messages. */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((op, n) -> out.merge(op.service().id() + "/" + op.name(), n.get(), Long::sum));
    return out;
  }

  public void reset() {
    counts.clear();
  }
}
