package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.operator.publish.EndpointKey;
import io.crosswind.operator.publish.PublishedNames;
import io.crosswind.operator.publish.PublishedTable;
import io.crosswind.operator.publish.PublishedTables;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.HashMap;
import java.util.Set;

/**
 * The endpoint's route table: a Secret in the route-table namespace that the gateway reads, written
 * as a JOSDK dependent resource (server-side apply under the controller's field manager, written
 * only when it differs, the operator's own writes cached). It has no owner reference, which cannot
 * cross namespaces: its labels lead back to the endpoint, and the endpoint's cleanup removes it.
 *
 * <p>What it should say is decided by the reconcile and handed over with {@link #want}.
 */
final class RouteTableDependent extends KubernetesDependentResource<Secret, ModelEndpoint>
    implements Creator<Secret, ModelEndpoint>,
        Updater<Secret, ModelEndpoint>,
        Deleter<ModelEndpoint>,
        SecondaryToPrimaryMapper<Secret> {

  private static final String WANTED = RouteTableDependent.class.getName();

  private final String routeTableNamespace;
  private final String operatorNamespace;

  /**
   * @param routeTableNamespace where the tables are written
   * @param operatorNamespace where older operators wrote them: watched too, so that a table left
   *     there is read and moved
   */
  RouteTableDependent(String routeTableNamespace, String operatorNamespace) {
    super(Secret.class, EndpointEventSources.ROUTE_TABLES);
    this.routeTableNamespace = routeTableNamespace;
    this.operatorNamespace = operatorNamespace;
  }

  /** What this reconcile publishes: the table and the endpoint key kept beside it. */
  record Wanted(PublishedTable table, EndpointKey key) {}

  /** Hands the reconcile's decision to {@link #desired}. */
  static void want(Context<ModelEndpoint> context, PublishedTable table, EndpointKey key) {
    context.managedWorkflowAndDependentResourceContext().put(WANTED, new Wanted(table, key));
  }

  @Override
  protected Secret desired(ModelEndpoint endpoint, Context<ModelEndpoint> context) {
    Wanted wanted =
        context.managedWorkflowAndDependentResourceContext().getMandatory(WANTED, Wanted.class);
    Secret secret = PublishedTables.secret(routeTableNamespace, wanted.table(), wanted.key());
    if (secret.getMetadata().getAnnotations() == null) {
      secret.getMetadata().setAnnotations(new HashMap<>());
    }
    return secret;
  }

  /** Known without computing the table: its name follows from the endpoint's. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      ModelEndpoint endpoint, Context<ModelEndpoint> context) {
    return new ResourceID(
        PublishedNames.routeTable(
            endpoint.getMetadata().getNamespace(), endpoint.getMetadata().getName()),
        routeTableNamespace);
  }

  @Override
  protected InformerEventSourceConfiguration.Builder<Secret> informerConfigurationBuilder(
      EventSourceContext<ModelEndpoint> context) {
    return super.informerConfigurationBuilder(context)
        .withNamespaces(Set.copyOf(java.util.List.of(routeTableNamespace, operatorNamespace)))
        .withLabelSelector(EndpointEventSources.selector(PublishedNames.COMPONENT_ROUTE_TABLE));
  }

  @Override
  public Set<ResourceID> toPrimaryResourceIDs(Secret secret) {
    return EndpointEventSources.endpointOf(secret);
  }
}
