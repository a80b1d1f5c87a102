package io.crosswind.simulators.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** The faults in force; the admin API and tests add and clear them while the simulators run. */
public final class Faults {

  private final List<Fault> active = new CopyOnWriteArrayList<>();
  private final Map<Fault, AtomicLong> seen = new ConcurrentHashMap<>();

  public void add(Fault fault) {
    active.add(fault);
  }

  public void clear() {
    active.clear();
    seen.clear();
  }

  public void clear(Service service) {
    active.removeIf(f -> f.service() == service);
  }

  public List<Fault> active() {
    return List.copyOf(active);
  }

  /**
   * The first fault of these kinds that hits this request, counting requests per fault so a
   * fraction is exact and repeatable: 0.5 hits the 1st, 3rd, 5th request, 0.25 the 1st, 5th, 9th.
   */
  public Optional<Fault> hit(Service service, String scope, Fault.Kind... kinds) {
    for (Fault fault : active) {
      if (!fault.matches(service, scope) || !List.of(kinds).contains(fault.kind())) {
        continue;
      }
      long n = seen.computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
      if (Math.ceil(n * fault.fraction()) > Math.ceil((n - 1) * fault.fraction())) {
        return Optional.of(fault);
      }
    }
    return Optional.empty();
  }

  /** How many requests in this fault's service and scope it has seen since it was added. */
  public long seen(Fault fault) {
    AtomicLong n = seen.get(fault);
    return n == null ? 0 : n.get();
  }

  /** How long a long-running operation in this scope takes, given its normal duration. */
  public Duration operationTime(Service service, String scope, Duration normal) {
    return active.stream()
        .filter(f -> f.kind() == Fault.Kind.SLOW_OPERATION && f.matches(service, scope))
        .map(Fault::delay)
        .findFirst()
        .orElse(normal);
  }

  public boolean operationsFail(Service service, String scope) {
    return active.stream()
        .anyMatch(f -> f.kind() == Fault.Kind.FAILED_OPERATION && f.matches(service, scope));
  }
}
