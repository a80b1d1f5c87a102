package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.operator.publish.PublishedNames;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import java.util.HashMap;

/**
 * The Service {@code <name>} in the endpoint's namespace whose DNS name leads to the gateway: an
 * ExternalName alias of the gateway's Service, owned by the endpoint. Published only in Gateway
 * mode; the reconcile deletes it otherwise.
 *
 * <p>It is created only if no object of that name exists (server-side apply with a resource
 * version), so a Service someone else made is never taken over.
 */
final class GatewayServiceDependent
    extends CRUDKubernetesDependentResource<Service, ModelEndpoint> {

  private final EndpointSettings settings;

  GatewayServiceDependent(EndpointSettings settings) {
    super(Service.class, EndpointEventSources.SERVICES);
    this.settings = settings;
  }

  @Override
  protected Service desired(ModelEndpoint endpoint, Context<ModelEndpoint> context) {
    return alias(endpoint, settings);
  }

  /** The Service as the operator wants it, before JOSDK adds its owner reference. */
  static Service alias(ModelEndpoint endpoint, EndpointSettings settings) {
    String namespace = endpoint.getMetadata().getNamespace();
    String name = endpoint.getMetadata().getName();
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withLabels(PublishedNames.labels(namespace, name, PublishedNames.COMPONENT_ENDPOINT))
        .withAnnotations(new HashMap<>())
        .endMetadata()
        .withNewSpec()
        .withType("ExternalName")
        .withExternalName(
            settings.gatewayService()
                + "."
                + settings.operatorNamespace()
                + ".svc."
                + settings.clusterDomain())
        .addNewPort()
        .withName("http")
        .withPort(80)
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }

  @Override
  protected InformerEventSourceConfiguration.Builder<Service> informerConfigurationBuilder(
      EventSourceContext<ModelEndpoint> context) {
    return super.informerConfigurationBuilder(context)
        .withNamespacesInheritedFromController()
        .withLabelSelector(EndpointEventSources.selector(PublishedNames.COMPONENT_ENDPOINT));
  }
}
