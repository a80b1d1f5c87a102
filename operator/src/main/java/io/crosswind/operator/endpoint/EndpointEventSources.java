package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.RoutingPolicy;
import io.crosswind.operator.publish.PublishedNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** What wakes a ModelEndpoint up besides a change of its own. */
final class EndpointEventSources {

  static final String POLICY_INDEX = "crosswind.io/routingPolicy";
  static final String ROUTE_TABLES = "route-tables";
  static final String SERVICES = "endpoint-services";
  static final String WAKE_UPS = "probes";

  private EndpointEventSources() {}

  /**
   * The endpoint's event sources: its RoutingPolicy, the CloudGrants, the informers of its
   * dependent route-table Secret and Service, and the wake-ups of probes, gateway circuits and
   * shared accounts; and the indexes of endpoints by policy and by Azure account that map events
   * back.
   */
  static List<EventSource<?, ModelEndpoint>> of(
      EventSourceContext<ModelEndpoint> context,
      RouteTableDependent routeTables,
      GatewayServiceDependent services,
      EventSource<?, ModelEndpoint> grants,
      SimpleInboundEventSource<ModelEndpoint> wakeUps) {
    context
        .getPrimaryCache()
        .addIndexer(
            POLICY_INDEX,
            e ->
                policyName(e)
                    .map(name -> List.of(key(e.getMetadata().getNamespace(), name)))
                    .orElse(List.of()));
    context.getPrimaryCache().addIndexer(SharedAccounts.INDEX, SharedAccounts::of);
    InformerEventSourceConfiguration<RoutingPolicy> policies =
        InformerEventSourceConfiguration.from(RoutingPolicy.class, ModelEndpoint.class)
            .withSecondaryToPrimaryMapper(
                policy ->
                    context
                        .getPrimaryCache()
                        .byIndex(
                            POLICY_INDEX,
                            key(
                                policy.getMetadata().getNamespace(),
                                policy.getMetadata().getName()))
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withPrimaryToSecondaryMapper(
                (ModelEndpoint e) ->
                    policyName(e)
                        .map(name -> Set.of(new ResourceID(name, e.getMetadata().getNamespace())))
                        .orElse(Set.of()))
            .build();
    List<EventSource<?, ModelEndpoint>> sources =
        new java.util.ArrayList<>(
            EventSourceUtils.dependentEventSources(context, routeTables, services));
    sources.add(new InformerEventSource<>(policies, context));
    sources.add(grants);
    sources.add(wakeUps);
    return sources;
  }

  /** Our objects of one component: the route tables, or what endpoints publish. */
  static String selector(String component) {
    return PublishedNames.SELECTOR + "," + PublishedNames.COMPONENT + "=" + component;
  }

  /** The endpoint an object of ours belongs to, by its labels. */
  static Set<ResourceID> endpointOf(HasMetadata published) {
    Map<String, String> labels = published.getMetadata().getLabels();
    if (labels == null
        || labels.get(PublishedNames.ENDPOINT_NAME) == null
        || labels.get(PublishedNames.ENDPOINT_NAMESPACE) == null) {
      return Set.of();
    }
    return Set.of(
        new ResourceID(
            labels.get(PublishedNames.ENDPOINT_NAME),
            labels.get(PublishedNames.ENDPOINT_NAMESPACE)));
  }

  private static Optional<String> policyName(ModelEndpoint endpoint) {
    if (endpoint.getSpec() == null || endpoint.getSpec().getRoutingPolicyRef() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(endpoint.getSpec().getRoutingPolicyRef().getName());
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
