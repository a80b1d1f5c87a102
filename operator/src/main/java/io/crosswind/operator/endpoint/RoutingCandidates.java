package io.crosswind.operator.endpoint;

import io.crosswind.operator.endpoint.EndpointStatusFactory.HealthFact;
import io.crosswind.operator.publish.PublishedTable;
import io.crosswind.operator.routing.ActiveTargetDecision.Candidate;
import java.util.List;
import java.util.Map;

/** The targets as the routing decision sees them, from what this reconcile found. */
final class RoutingCandidates {

  private RoutingCandidates() {}

  /**
   * Each target still in the spec with a known cloud: its serving state (a target that was serving
   * stays Ready through a management-plane hiccup), its region (the upstream's, else what was
   * published, else what its spec says) and its health.
   */
  static List<Candidate> of(
      List<TargetOutcome> outcomes, PublishedTable previous, Map<String, HealthFact> health) {
    return outcomes.stream()
        .filter(o -> !o.removed() && o.provider() != null)
        .map(
            o ->
                new Candidate(
                    o.name(),
                    o.provider(),
                    region(o, previous),
                    EndpointPublication.servingState(o, previous),
                    health.getOrDefault(o.name(), HealthFact.UNKNOWN).health()))
        .toList();
  }

  private static String region(TargetOutcome o, PublishedTable previous) {
    if (o.observation().upstream() != null && o.observation().upstream().region() != null) {
      return o.observation().upstream().region();
    }
    return previous
        .route(o.name())
        .map(PublishedTable.Route::region)
        .or(() -> TargetFacts.region(o.target()))
        .orElse(null);
  }
}
