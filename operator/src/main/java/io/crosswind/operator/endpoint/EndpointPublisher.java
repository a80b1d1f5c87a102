package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.operator.publish.EndpointKey;
import io.crosswind.operator.publish.PublishedNames;
import io.crosswind.operator.publish.PublishedTable;
import io.crosswind.operator.publish.PublishedTables;
import io.crosswind.operator.publish.Publisher;
import io.crosswind.wire.RouteTableSecret;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what an endpoint publishes and removes it: the route table and the Service as JOSDK
 * dependent resources, the endpoint Secret by server-side apply (the operator may write, not read,
 * Secrets outside its namespace, so it cannot be a dependent with an informer); keeps the endpoint
 * key beside the route table. The decisions are {@link EndpointPublication}'s.
 */
final class EndpointPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(EndpointPublisher.class);
  private static final int HTTP_CONFLICT = 409;
  private static final int HTTP_NOT_FOUND = 404;
  private static final int HTTP_FORBIDDEN = 403;

  private final EndpointSettings settings;
  private final Clock clock;
  private final RouteTableDependent routeTables;
  private final GatewayServiceDependent services;

  EndpointPublisher(EndpointSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.routeTables =
        new RouteTableDependent(settings.routeTableNamespace(), settings.operatorNamespace());
    this.services = new GatewayServiceDependent(settings);
  }

  RouteTableDependent routeTables() {
    return routeTables;
  }

  GatewayServiceDependent services() {
    return services;
  }

  /**
   * The endpoint's route-table Secret, as the informer last saw it (or the operator wrote it);
   * until the first write where it belongs, the one an older operator left ({@link #formerTables}),
   * so that an upgrade keeps the endpoint key, the active target and the rotation state.
   */
  Optional<Secret> routeTable(ModelEndpoint endpoint, Context<ModelEndpoint> context) {
    return routeTables
        .getSecondaryResource(endpoint, context)
        .or(() -> formerTables(endpoint).stream().findFirst());
  }

  /** The route table another endpoint published, as the informer holds it; empty when none. */
  Optional<PublishedTable> publishedRouteTable(ModelEndpoint other) {
    return routeTables
        .eventSource()
        .flatMap(
            s ->
                s.get(
                    new ResourceID(
                        PublishedNames.routeTable(
                            other.getMetadata().getNamespace(), other.getMetadata().getName()),
                        settings.routeTableNamespace())))
        .or(() -> formerTables(other).stream().findFirst())
        .map(secret -> PublishedTables.read(Optional.of(secret)));
  }

  /**
   * The endpoint's route tables where older operators wrote them, newest first: under its present
   * name in the operator namespace (before route tables had a namespace of their own), and under
   * the name Crosswind 0.1 gave it ({@code crosswind-routes-<ns>-<name>}) there. Only those whose
   * labels say they are this endpoint's: another endpoint may hold the 0.1 name ({@code
   * team/prod-chat} and {@code team-prod/chat} shared it), and its table is never read or removed
   * for this one.
   */
  private List<Secret> formerTables(ModelEndpoint endpoint) {
    String namespace = endpoint.getMetadata().getNamespace();
    String name = endpoint.getMetadata().getName();
    ResourceID current =
        new ResourceID(PublishedNames.routeTable(namespace, name), settings.routeTableNamespace());
    Set<ResourceID> self = Set.of(ResourceID.fromResource(endpoint));
    return Stream.of(
            new ResourceID(
                PublishedNames.routeTable(namespace, name), settings.operatorNamespace()),
            new ResourceID(
                RouteTableSecret.legacyName(namespace, name), settings.operatorNamespace()))
        .distinct()
        .filter(id -> !id.equals(current))
        .flatMap(id -> routeTables.eventSource().flatMap(s -> s.get(id)).stream())
        .filter(s -> EndpointEventSources.endpointOf(s).equals(self))
        .toList();
  }

  /** Removes the endpoint's former route tables once the table where it belongs is written. */
  private void removeFormerTables(ModelEndpoint endpoint, Context<ModelEndpoint> context) {
    for (Secret former : formerTables(endpoint)) {
      LOG.info(
          "ModelEndpoint {}/{}: route table moved from {}/{} to {}/{}",
          endpoint.getMetadata().getNamespace(),
          endpoint.getMetadata().getName(),
          former.getMetadata().getNamespace(),
          former.getMetadata().getName(),
          settings.routeTableNamespace(),
          PublishedNames.routeTable(
              endpoint.getMetadata().getNamespace(), endpoint.getMetadata().getName()));
      // Only the Secret the informer saw (a precondition on its resource version): one changed
      // or made under that name since is left for the next look.
      try {
        context
            .getClient()
            .secrets()
            .inNamespace(former.getMetadata().getNamespace())
            .resource(former)
            .lockResourceVersion()
            .delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HTTP_CONFLICT && e.getCode() != HTTP_NOT_FOUND) {
          throw e;
        }
      }
    }
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
      throw taken(e, () -> routeTableIsOurs(endpoint, context), () -> routeTableTaken(endpoint));
    }
    removeFormerTables(endpoint, context);
    if (publication.secretData().isPresent()) {
      String secret = PublishedNames.endpointSecret(name);
      boolean written;
      try {
        written =
            new Publisher(context.getClient())
                .writeOwned(
                    Publisher.secret(
                        namespace,
                        secret,
                        PublishedNames.labels(namespace, name, PublishedNames.COMPONENT_ENDPOINT),
                        Publisher.controller(endpoint),
                        publication.secretData().get()));
      } catch (KubernetesClientException e) {
        throw forbidden(e, "Secrets", namespace);
      }
      if (!written) {
        throw PublishRefused.nameTaken(
            "A Secret named "
                + secret
                + " exists in namespace "
                + namespace
                + " that this ModelEndpoint did not create; Crosswind neither changes nor deletes"
                + " it. Delete or rename that Secret, or give the ModelEndpoint another name.");
      }
    }
    if (publication.gatewayService()) {
      try {
        services.reconcile(endpoint, context);
      } catch (KubernetesClientException e) {
        if (e.getCode() == HTTP_FORBIDDEN) {
          throw forbidden(e, "Services", namespace);
        }
        throw taken(
            e,
            () -> serviceIsOurs(endpoint, context),
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
   * version: HTTP 409) as {@link PublishRefused#nameTaken}, unless the object is this endpoint's
   * after all (an informer that has not seen it yet, or one stopped while the operator shuts down):
   * then the failure is as it was, and the next reconcile finds the object.
   */
  private static RuntimeException taken(
      KubernetesClientException e,
      java.util.function.BooleanSupplier ours,
      java.util.function.Supplier<String> message) {
    return e.getCode() == HTTP_CONFLICT && !ours.getAsBoolean()
        ? PublishRefused.nameTaken(message.get())
        : e;
  }

  /**
   * A write the API server forbids (HTTP 403) as {@link PublishRefused#forbidden}, with what an
   * admin changes; any other failure as it was.
   */
  private static RuntimeException forbidden(
      KubernetesClientException e, String kind, String namespace) {
    if (e.getCode() != HTTP_FORBIDDEN) {
      return e;
    }
    return PublishRefused.forbidden(kind, namespace);
  }

  /** True when the API server has the endpoint's Service and it is owned by the endpoint. */
  private static boolean serviceIsOurs(ModelEndpoint endpoint, Context<ModelEndpoint> context) {
    var service =
        context
            .getClient()
            .services()
            .inNamespace(endpoint.getMetadata().getNamespace())
            .withName(endpoint.getMetadata().getName())
            .get();
    return service != null
        && service.getMetadata().getOwnerReferences() != null
        && service.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> endpoint.getMetadata().getUid().equals(o.getUid()));
  }

  /** True when the API server has the endpoint's route table and its labels name the endpoint. */
  private boolean routeTableIsOurs(ModelEndpoint endpoint, Context<ModelEndpoint> context) {
    Secret table =
        context
            .getClient()
            .secrets()
            .inNamespace(settings.routeTableNamespace())
            .withName(
                PublishedNames.routeTable(
                    endpoint.getMetadata().getNamespace(), endpoint.getMetadata().getName()))
            .get();
    return table != null
        && EndpointEventSources.endpointOf(table).equals(Set.of(ResourceID.fromResource(endpoint)));
  }

  private String routeTableTaken(ModelEndpoint endpoint) {
    String table =
        PublishedNames.routeTable(
            endpoint.getMetadata().getNamespace(), endpoint.getMetadata().getName());
    String holder =
        routeTables
            .eventSource()
            .flatMap(s -> s.get(new ResourceID(table, settings.routeTableNamespace())))
            .flatMap(s -> EndpointEventSources.endpointOf(s).stream().findFirst())
            .map(id -> "the ModelEndpoint " + id.getNamespace().orElse("") + "/" + id.getName())
            .orElse("an object Crosswind did not make");
    return "Its route table would be the Secret "
        + table
        + " in namespace "
        + settings.routeTableNamespace()
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
    removeFormerTables(endpoint, context);
    try {
      new Publisher(context.getClient())
          .deleteOwned(
              endpoint.getMetadata().getNamespace(),
              PublishedNames.endpointSecret(endpoint.getMetadata().getName()),
              endpoint.getMetadata().getUid());
      services.delete(endpoint, context);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HTTP_FORBIDDEN) {
        throw e;
      }
      // Write access to the namespace was taken away: the owner references still let the
      // garbage collector remove what the endpoint published, and the deletion goes on.
      LOG.warn(
          "ModelEndpoint {}/{}: may not delete its Secret or Service (HTTP 403); they go with"
              + " the endpoint through their owner reference",
          endpoint.getMetadata().getNamespace(),
          endpoint.getMetadata().getName());
    }
  }
}
