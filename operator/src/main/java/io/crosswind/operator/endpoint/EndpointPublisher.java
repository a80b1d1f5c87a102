package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.operator.publish.EndpointKey;
import io.crosswind.operator.publish.PublishedNames;
import io.crosswind.operator.publish.PublishedTables;
import io.crosswind.operator.publish.Publisher;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Writes what an endpoint publishes (route table, endpoint Secret, Service) and removes it; keeps
 * the endpoint key beside the route table. The decisions are {@link EndpointPublication}'s.
 */
final class EndpointPublisher {

  private final EndpointSettings settings;
  private final Clock clock;

  EndpointPublisher(EndpointSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * The key applications present to the gateway: the one kept beside the route table (the operator
   * never reads the Secrets of application namespaces), rotated when the rotation annotation asks
   * for it, or a new one.
   */
  EndpointKey endpointKey(ModelEndpoint endpoint, Context<ModelEndpoint> context) {
    String rotation = TargetProvisioner.rotationRequest(endpoint);
    return context
        .getSecondaryResource(Secret.class, EndpointEventSources.ROUTE_TABLES)
        .flatMap(PublishedTables::endpointKey)
        .map(k -> k.next(rotation, clock.instant(), settings.endpointKeyOverlap()))
        .orElseGet(() -> EndpointKey.generate(rotation));
  }

  /**
   * Writes the route table (only when it changed), the endpoint Secret (server-side apply, which
   * changes nothing when nothing changed: the operator may write, not read, Secrets outside its
   * namespace) and the Service.
   */
  void publish(
      ModelEndpoint endpoint,
      Context<ModelEndpoint> context,
      EndpointPublication publication,
      EndpointKey endpointKey) {
    Publisher publisher =
        new Publisher(
            context.getClient(),
            context
                .getControllerConfiguration()
                .getConfigurationService()
                .useSSAToPatchPrimaryResource());
    String namespace = endpoint.getMetadata().getNamespace();
    String name = endpoint.getMetadata().getName();
    Secret table =
        context.getSecondaryResource(Secret.class, EndpointEventSources.ROUTE_TABLES).orElse(null);
    publisher
        .apply(
            PublishedTables.secret(
                settings.operatorNamespace(), publication.routeTable(), endpointKey),
            table)
        .ifPresent(
            written ->
                ownWrite(
                    context,
                    Secret.class,
                    EndpointEventSources.ROUTE_TABLES,
                    endpoint,
                    written,
                    table));
    Map<String, String> labels =
        PublishedNames.labels(namespace, name, PublishedNames.COMPONENT_ENDPOINT);
    publication
        .secretData()
        .ifPresent(
            data ->
                publisher.apply(
                    Publisher.secret(
                        namespace,
                        PublishedNames.endpointSecret(name),
                        labels,
                        Publisher.controller(endpoint),
                        data),
                    null));
    Optional<Service> service =
        context.getSecondaryResource(Service.class, EndpointEventSources.SERVICES);
    if (publication.gatewayService()) {
      publisher
          .apply(
              Publisher.gatewayAlias(
                  namespace,
                  name,
                  labels,
                  Publisher.controller(endpoint),
                  settings.gatewayService()
                      + "."
                      + settings.operatorNamespace()
                      + ".svc."
                      + settings.clusterDomain()),
              service.orElse(null))
          .ifPresent(
              written ->
                  ownWrite(
                      context,
                      Service.class,
                      EndpointEventSources.SERVICES,
                      endpoint,
                      written,
                      service.orElse(null)));
    } else {
      service.ifPresent(publisher::delete);
    }
  }

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> void ownWrite(
      Context<ModelEndpoint> context,
      Class<R> type,
      String source,
      ModelEndpoint endpoint,
      R written,
      R before) {
    var eventSource = context.eventSourceRetriever().getEventSourceFor(type, source);
    if (eventSource instanceof InformerEventSource<?, ?> informer) {
      var typed = (InformerEventSource<R, ModelEndpoint>) informer;
      ResourceID primary = ResourceID.fromResource(endpoint);
      if (before == null) {
        typed.handleRecentResourceCreate(primary, written);
      } else {
        typed.handleRecentResourceUpdate(primary, written, before);
      }
    }
  }

  /**
   * Removes the route table, the endpoint Secret and the Service (their owner reference would
   * remove the last two too, where a garbage collector runs).
   */
  void unpublish(ModelEndpoint endpoint, Context<ModelEndpoint> context) {
    Publisher publisher = new Publisher(context.getClient(), true);
    context
        .getSecondaryResource(Secret.class, EndpointEventSources.ROUTE_TABLES)
        .ifPresent(publisher::delete);
    context
        .getClient()
        .secrets()
        .inNamespace(endpoint.getMetadata().getNamespace())
        .withName(PublishedNames.endpointSecret(endpoint.getMetadata().getName()))
        .delete();
    context
        .getSecondaryResource(Service.class, EndpointEventSources.SERVICES)
        .ifPresent(publisher::delete);
  }
}
