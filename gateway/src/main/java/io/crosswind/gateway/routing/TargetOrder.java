package io.crosswind.gateway.routing;

import io.crosswind.wire.RouteTable;
import io.crosswind.wire.RouteTable.Route;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * In which order a request tries an endpoint's targets, decided without I/O.
 *
 * <ul>
 *   <li>Only servable targets (Ready, with an upstream and an unexpired key) are tried at all.
 *   <li>{@code Failover}: the operator's active target first, then the others by priority, healthy
 *       ones before those the probes call Unhealthy.
 *   <li>{@code Weighted}: a weighted random draw without replacement among the targets with a
 *       weight that are not Unhealthy (Efraimidis-Spirakis keys), then the rest by priority. With a
 *       session id, the draw is a weighted rendezvous hash of session and target instead of random,
 *       so a session stays on its target while that target serves, and moves only when it stops.
 *   <li>Targets whose circuit is open go last, in the same order: tried only when nothing else is
 *       left.
 * </ul>
 */
public final class TargetOrder {

  private TargetOrder() {}

  /**
   * @param circuitOpen whether a target (by name) is being skipped after repeated failures
   * @param session the request's session id, or null
   */
  public static List<Route> plan(
      RouteTable table,
      Instant now,
      Predicate<String> circuitOpen,
      RandomGenerator random,
      String session) {
    List<Route> servable = table.routes().stream().filter(r -> r.servable(now)).toList();
    Comparator<Route> byPriority =
        Comparator.comparingInt((Route r) -> r.unhealthy() ? 1 : 0)
            .thenComparingInt(r -> r.priorityOr(Integer.MAX_VALUE));
    List<Route> ordered = new ArrayList<>();
    if (table.weighted()) {
      List<Route> drawn =
          servable.stream().filter(r -> r.weightOrZero() > 0 && !r.unhealthy()).toList();
      ordered.addAll(weightedDraw(drawn, random, session));
    } else {
      servable.stream()
          .filter(r -> r.target().equals(table.active()))
          .findFirst()
          .ifPresent(ordered::add);
    }
    servable.stream().filter(r -> !ordered.contains(r)).sorted(byPriority).forEach(ordered::add);
    List<Route> closed = ordered.stream().filter(r -> !circuitOpen.test(r.target())).toList();
    List<Route> result = new ArrayList<>(closed);
    ordered.stream().filter(r -> circuitOpen.test(r.target())).forEach(result::add);
    return result;
  }

  /** The targets in the order of ascending -ln(u)/weight: a weighted draw without replacement. */
  static List<Route> weightedDraw(List<Route> routes, RandomGenerator random, String session) {
    record Keyed(Route route, double key) {}
    List<Keyed> keyed = new ArrayList<>();
    for (Route route : routes) {
      double u = session == null ? random.nextDouble() : unitHash(session, route.target());
      // u in [0, 1): keep it off 0 so the logarithm stays finite.
      double key = -Math.log(Math.max(u, Double.MIN_NORMAL)) / route.weightOrZero();
      keyed.add(new Keyed(route, key));
    }
    keyed.sort(Comparator.comparingDouble(Keyed::key));
    return keyed.stream().map(Keyed::route).toList();
  }

  /** A uniform number in [0, 1) from session and target (FNV-1a 64, then a mixer). */
  static double unitHash(String session, String target) {
    long h = 0xcbf29ce484222325L;
    for (byte b : (session + "\u0000" + target).getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (h >>> 11) * 0x1.0p-53;
  }
}
