package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.EndpointMode;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.RoutingStrategy;
import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.operator.cloud.CloudError;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.cloud.Upstream;
import io.crosswind.operator.conditions.Reasons;
import io.crosswind.operator.publish.EndpointKey;
import io.crosswind.operator.publish.PublishedTable;
import io.crosswind.operator.publish.PublishedTable.Route;
import io.crosswind.operator.publish.PublishedTable.RouteCredential;
import io.crosswind.operator.routing.ActiveTargetDecision.Ranked;
import io.crosswind.operator.routing.ActiveTargetDecision.Selection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an endpoint publishes, decided without I/O: the route table for the gateway, the data of the
 * endpoint Secret for applications, and whether a Service fronts the gateway.
 *
 * @param routeTable the route table
 * @param secretData the endpoint Secret's data (plain text), empty when there is nothing to publish
 *     yet (a Direct endpoint with no active target keeps what it has)
 * @param gatewayService true in Gateway mode: the endpoint's Service leads to the gateway
 * @param url the OpenAI-compatible base URL applications use, empty when none yet
 * @param problem why the endpoint cannot be published as asked, if it cannot
 */
public record EndpointPublication(
    PublishedTable routeTable,
    Optional<Map<String, String>> secretData,
    boolean gatewayService,
    Optional<String> url,
    Optional<EndpointVerdict> problem) {

  public static final String BASE_URL = "OPENAI_BASE_URL";
  public static final String API_KEY = "OPENAI_API_KEY";
  public static final String MODEL = "OPENAI_MODEL";
  public static final String TARGET = "CROSSWIND_TARGET";

  /**
   * @param health what the probes say of each target
   * @param endpointKey the key applications present to the gateway
   */
  public static EndpointPublication plan(
      ModelEndpoint endpoint,
      EndpointSettings settings,
      RoutingStrategy strategy,
      List<TargetOutcome> outcomes,
      Selection selection,
      Function<String, TargetHealth> health,
      PublishedTable previous,
      EndpointKey endpointKey) {
    String namespace = endpoint.getMetadata().getNamespace();
    String name = endpoint.getMetadata().getName();
    List<Route> routes = new ArrayList<>();
    for (Ranked ranked : selection.ranked()) {
      outcomes.stream()
          .filter(o -> !o.removed() && o.name().equals(ranked.candidate().name()))
          .findFirst()
          .ifPresent(o -> routes.add(route(o, ranked, health.apply(o.name()), previous)));
    }
    outcomes.stream()
        .filter(o -> o.removed() && !o.observation().deleted())
        .filter(o -> !"Retained".equals(o.observation().reason()))
        .forEach(
            o ->
                routes.add(
                    new Route(
                        o.name(),
                        o.provider().name(),
                        TargetState.Deleting.name(),
                        TargetHealth.Unknown.name(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        0,
                        null,
                        previous.route(o.name()).map(Route::resourceId).orElse(null),
                        o.target())));
    boolean gateway = EndpointAssessment.mode(endpoint.getSpec()) == EndpointMode.Gateway;
    PublishedTable table =
        new PublishedTable(
            PublishedTable.FORMAT,
            namespace,
            name,
            endpoint.getSpec().getModel(),
            strategy.name(),
            selection.active().orElse(null),
            selection.since() == null ? null : selection.since().toString(),
            // Direct mode hands out no endpoint key: the gateway accepts none for it.
            gateway ? endpointKey.sha256() : null,
            gateway ? endpointKey.previousSha256() : null,
            gateway && endpointKey.previousUntil() != null
                ? endpointKey.previousUntil().toString()
                : null,
            routes);

    if (EndpointAssessment.mode(endpoint.getSpec()) == EndpointMode.Gateway) {
      String url = "http://" + name + "." + namespace + ".svc." + settings.clusterDomain() + "/v1";
      Map<String, String> data = new LinkedHashMap<>();
      data.put(BASE_URL, url);
      data.put(API_KEY, endpointKey.value());
      data.put(MODEL, endpoint.getSpec().getModel());
      data.put(TARGET, selection.active().orElse(""));
      return new EndpointPublication(
          table, Optional.of(data), true, Optional.of(url), Optional.empty());
    }
    Optional<Route> active = selection.active().flatMap(table::route);
    if (active.isEmpty() || active.get().credential() == null) {
      return new EndpointPublication(
          table, Optional.empty(), false, Optional.empty(), Optional.empty());
    }
    Route route = active.get();
    if (!Upstream.Api.OPENAI.name().equals(route.api())) {
      return new EndpointPublication(
          table,
          Optional.empty(),
          false,
          Optional.empty(),
          Optional.of(
              new EndpointVerdict(
                  Reasons.DIRECT_MODE_UNSUPPORTED,
                  "Target "
                      + route.target()
                      + " serves its model only through Bedrock Converse, which no OpenAI SDK"
                      + " speaks; set spec.endpoint.mode to Gateway, which translates it.")));
    }
    Map<String, String> data = new LinkedHashMap<>();
    data.put(BASE_URL, route.url());
    data.put(API_KEY, route.credential().value());
    data.put(MODEL, route.upstreamModel());
    data.put(TARGET, route.target());
    return new EndpointPublication(
        table, Optional.of(data), false, Optional.of(route.url()), Optional.empty());
  }

  /**
   * The state routing goes by: the provider's, except that a target that was serving stays Ready
   * through a transient management-plane error (its data plane is not what failed).
   */
  public static TargetState servingState(TargetOutcome outcome, PublishedTable previous) {
    TargetObservation o = outcome.observation();
    if (o.state() == TargetState.Failed
        && CloudError.TRANSIENT.contains(o.reason())
        && previous
            .route(outcome.name())
            .filter(r -> TargetState.Ready.name().equals(r.state()))
            .filter(r -> r.credential() != null && r.url() != null)
            .filter(
                r -> outcome.provider() != null && outcome.provider().name().equals(r.provider()))
            .isPresent()) {
      return TargetState.Ready;
    }
    return o.state();
  }

  private static Route route(
      TargetOutcome outcome, Ranked ranked, TargetHealth health, PublishedTable previous) {
    TargetObservation o = outcome.observation();
    Optional<Route> before = previous.route(outcome.name());
    boolean sameCloud =
        before.isPresent() && before.get().provider().equals(outcome.provider().name());
    // A management-plane hiccup (throttled, unreachable) must not take a serving target's data
    // plane away: keep what was published until the provider says otherwise.
    Upstream upstream = o.upstream();
    String api = upstream != null ? upstream.api().name() : keep(sameCloud, before, Route::api);
    String url = upstream != null ? upstream.baseUrl() : keep(sameCloud, before, Route::url);
    String model =
        upstream != null ? upstream.model() : keep(sameCloud, before, Route::upstreamModel);
    String region = upstream != null ? upstream.region() : keep(sameCloud, before, Route::region);
    RouteCredential credential =
        o.credential() != null
            ? RouteCredential.of(o.credential())
            : sameCloud ? before.get().credential() : null;
    // Only a provider that got as far as creating or using something records it.
    String resourceId =
        o.state() == TargetState.Failed || o.state() == TargetState.Pending
            ? keep(sameCloud, before, Route::resourceId)
            : o.resourceId();
    return new Route(
        outcome.name(),
        outcome.provider().name(),
        servingState(outcome, previous).name(),
        health.name(),
        api,
        url,
        model,
        region,
        ranked.priority(),
        ranked.weight(),
        credential,
        resourceId,
        outcome.target());
  }

  private static String keep(boolean sameCloud, Optional<Route> before, Function<Route, String> f) {
    return sameCloud ? f.apply(before.get()) : null;
  }
}
