package io.crosswind.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.wire.RouteTable;
import io.crosswind.wire.RouteTable.Credential;
import io.crosswind.wire.RouteTable.Route;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TargetOrderTest {

  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  static Route route(String name, String state, String health, int priority, int weight) {
    return new Route(
        name,
        RouteTable.Provider.AzureOpenAI,
        RouteTable.State.valueOf(state),
        RouteTable.Health.valueOf(health),
        RouteTable.Api.OPENAI,
        "https://x/v1",
        "m",
        null,
        priority,
        weight,
        new Credential(RouteTable.Scheme.API_KEY_HEADER, "secret", null));
  }

  static RouteTable table(String strategy, String active, Route... routes) {
    return new RouteTable(
        1,
        "ns",
        "e",
        "m",
        RouteTable.Strategy.valueOf(strategy),
        active,
        "0".repeat(64),
        null,
        null,
        List.of(routes));
  }

  static List<String> names(List<Route> routes) {
    return routes.stream().map(Route::target).toList();
  }

  static List<String> plan(RouteTable table, Set<String> open) {
    return names(TargetOrder.plan(table, NOW, open::contains, new SplittableRandom(1), null));
  }

  @Test
  void failoverTriesTheActiveTargetThenTheOthersByPriorityHealthyFirst() {
    RouteTable table =
        table(
            "Failover",
            "c",
            route("a", "Ready", "Unhealthy", 1, 0),
            route("b", "Ready", "Healthy", 3, 0),
            route("c", "Ready", "Healthy", 2, 0),
            route("d", "Ready", "Throttled", 2, 0));

    assertThat(plan(table, Set.of())).containsExactly("c", "d", "b", "a");
  }

  @Test
  void neverTriesTargetsThatCannotServe() {
    Route expired =
        new Route(
            "expired",
            RouteTable.Provider.Bedrock,
            RouteTable.State.Ready,
            RouteTable.Health.Healthy,
            RouteTable.Api.OPENAI,
            "https://x/v1",
            "m",
            null,
            1,
            1,
            new Credential(RouteTable.Scheme.BEARER, "k", Instant.parse("2026-11-30T00:00:00Z")));
    Route noKey =
        new Route(
            "nokey",
            RouteTable.Provider.Bedrock,
            RouteTable.State.Ready,
            RouteTable.Health.Healthy,
            RouteTable.Api.OPENAI,
            "https://x/v1",
            "m",
            null,
            1,
            1,
            null);
    RouteTable table =
        table(
            "Failover",
            "provisioning",
            route("provisioning", "Provisioning", "Unknown", 1, 0),
            expired,
            noKey,
            route("ok", "Ready", "Unknown", 9, 0));

    assertThat(plan(table, Set.of())).containsExactly("ok");
  }

  @Test
  void targetsWithAnOpenCircuitGoLast() {
    RouteTable table =
        table(
            "Failover",
            "a",
            route("a", "Ready", "Healthy", 1, 0),
            route("b", "Ready", "Healthy", 2, 0));

    assertThat(plan(table, Set.of("a"))).containsExactly("b", "a");
  }

  @Test
  void weightedDrawsInProportionAndKeepsZeroWeightsAsFallback() {
    RouteTable table =
        table(
            "Weighted",
            "a",
            route("a", "Ready", "Healthy", 1, 70),
            route("b", "Ready", "Healthy", 2, 30),
            route("standby", "Ready", "Healthy", 3, 0));
    SplittableRandom random = new SplittableRandom(42);
    Map<String, Integer> first = new TreeMap<>();
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      List<String> order = names(TargetOrder.plan(table, NOW, t -> false, random, null));
      assertThat(order).hasSize(3).endsWith("standby");
      first.merge(order.getFirst(), 1, Integer::sum);
    }

    assertThat(first.get("a") / (double) n).isBetween(0.68, 0.72);
  }

  @Test
  void aSessionKeepsItsTargetAndMovesOnlyWhenItsTargetGoes() {
    Route a = route("a", "Ready", "Healthy", 1, 50);
    Route b = route("b", "Ready", "Healthy", 2, 50);
    Route c = route("c", "Ready", "Healthy", 3, 50);
    int moved = 0;
    int sessions = 2_000;
    for (int s = 0; s < sessions; s++) {
      String session = "s" + s;
      String before = first(table("Weighted", null, a, b, c), session);
      assertThat(first(table("Weighted", null, a, b, c), session)).isEqualTo(before);
      String after = first(table("Weighted", null, a, b), session);
      if (!before.equals("c")) {
        assertThat(after).as(session).isEqualTo(before);
      } else {
        moved++;
      }
    }
    assertThat(moved / (double) sessions).isBetween(0.28, 0.39);
  }

  private static String first(RouteTable table, String session) {
    return TargetOrder.plan(table, NOW, t -> false, new SplittableRandom(), session)
        .getFirst()
        .target();
  }
}
