package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.operator.publish.EndpointKey;
import io.crosswind.operator.publish.PublishedNames;
import io.crosswind.operator.publish.PublishedTables;
import io.crosswind.operator.publish.Publisher;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.util.Optional;

/**
 * Writes what an endpoint publishes and removes it: the route table and the Service as JOSDK
 * dependent resources, the endpoint Secret by server-side apply (the operator may write, not read,
 * Secrets outside its namespace, so it cannot be a dependent with an informer); keeps the endpoint
 * key beside the route table. The decisions are {@link EndpointPublication}'s.
 */
final class EndpointPublisher {

  private static final int HTTP_CONFLICT = 409;

  private final EndpointSettings settings;
  private final Clock clock;
  private final RouteTableDependent routeTables;
  private final GatewayServiceDependent services;

  EndpointPublisher(EndpointSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.routeTables = new RouteTableDependent(settings.operatorNamespace());
    this.services = new GatewayServiceDependent(settings);
  }

  RouteTableDependent routeTables() {
    return routeTables;
  }

  GatewayServiceDependent services() {
    return services;
  }

  /** The endpoint's route-table Secret, as the informer last saw it (or the operator wrote it). */
  Optional<Secret> routeTable(ModelEndpoint endpoint, Context<ModelEndpoint> context) {
    return routeTables.getSecondaryResource(endpoint, context);
  }

  /**
   * The key applications present to the gateway: the one kept beside the route table (the operator
   * never reads the Secrets of application namespaces), rotated when the rotation annotation asks
   * for it, or a new one.
   */
  EndpointKey endpointKey(ModelEndpoint endpoint, Context<ModelEndpoint> context) {
    String rotation = TargetProvisioner.rotationRequest(endpoint);
    return routeTable(endpoint, context)
        .flatMap(PublishedTables::endpointKey)
        .map(k -> k.next(rotation, clock.instant(), settings.endpointKeyOverlap()))
        .orElseGet(() -> EndpointKey.generate(rotation));
  }

  /**
   * Writes the route table and the Service where they differ from what the cluster has (the Service
   * only in Gateway mode, removed otherwise), and applies the endpoint Secret (server-side apply,
   * which changes nothing when nothing changed).
   */
  void publish(
      ModelEndpoint endpoint,
      Context<ModelEndpoint> context,
      EndpointPublication publication,
      EndpointKey endpointKey) {
    String namespace = endpoint.getMetadata().getNamespace();
    String name = endpoint.getMetadata().getName();
    RouteTableDependent.want(context, publication.routeTable(), endpointKey);
    try {
      routeTables.reconcile(endpoint, context);
    } catch (KubernetesClientException e) {
      throw taken(e, () -> routeTableTaken(endpoint));
    }
    publication
        .secretData()
        .ifPresent(
            data ->
                new Publisher(context.getClient())
                    .apply(
                        Publisher.secret(
                            namespace,
                            PublishedNames.endpointSecret(name),
                            PublishedNames.labels(
                                namespace, name, PublishedNames.COMPONENT_ENDPOINT),
                            Publisher.controller(endpoint),
                            data)));
    if (publication.gatewayService()) {
      try {
        services.reconcile(endpoint, context);
      } catch (KubernetesClientException e) {
        throw taken(
            e,
            () ->
                "A Service named "
                    + name
                    + " exists in namespace "
                    + namespace
                    + " that this ModelEndpoint did not create; Crosswind does not take it over."
                    + " Delete or rename that Service, or give the ModelEndpoint another name.");
      }
    } else {
      services.delete(endpoint, context);
    }
  }

  /**
   * A create refused because the name exists (server-side apply of a new object with a resource
   * version: HTTP 409) as {@link NameTaken}; any other failure as it was.
   */
  private static RuntimeException taken(
      KubernetesClientException e, java.util.function.Supplier<String> message) {
    return e.getCode() == HTTP_CONFLICT ? new NameTaken(message.get()) : e;
  }

  private String routeTableTaken(ModelEndpoint endpoint) {
    String table =
        PublishedNames.routeTable(
            endpoint.getMetadata().getNamespace(), endpoint.getMetadata().getName());
    String holder =
        routeTables
            .eventSource()
            .flatMap(s -> s.get(new ResourceID(table, settings.operatorNamespace())))
            .flatMap(s -> EndpointEventSources.endpointOf(s).stream().findFirst())
            .map(id -> "the ModelEndpoint " + id.getNamespace().orElse("") + "/" + id.getName())
            .orElse("an object Crosswind did not make");
    return "Its route table would be the Secret "
        + table
        + " in namespace "
        + settings.operatorNamespace()
        + ", which "
        + holder
        + " already uses. Give this ModelEndpoint another name.";
  }

  /**
   * Removes the route table, the endpoint Secret and the Service (their owner reference would
   * remove the last two too, where a garbage collector runs).
   */
  void unpublish(ModelEndpoint endpoint, Context<ModelEndpoint> context) {
    routeTables.delete(endpoint, context);
    context
        .getClient()
        .secrets()
        .inNamespace(endpoint.getMetadata().getNamespace())
        .withName(PublishedNames.endpointSecret(endpoint.getMetadata().getName()))
        .delete();
    services.delete(endpoint, context);
  }
}
