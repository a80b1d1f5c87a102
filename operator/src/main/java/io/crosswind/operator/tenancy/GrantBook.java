package io.crosswind.operator.tenancy;

import io.crosswind.api.v1alpha1.CloudGrant;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.Target;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The CloudGrants of the cluster as the operator's informer sees them, and what they allow. A
 * change of a grant wakes the endpoints of every namespace it covers or covered before.
 */
public final class GrantBook {

  private final String defaultSubscription;
  private final Map<String, Set<String>> lastCovered = new ConcurrentHashMap<>();
  private volatile InformerEventSource<CloudGrant, ModelEndpoint> grants;

  /**
   * @param defaultSubscription the operator's Azure subscription, for targets that name none
   */
  public GrantBook(String defaultSubscription) {
    this.defaultSubscription = defaultSubscription;
  }

  /** The informer of CloudGrants (cluster-scoped), created with the controller's event sources. */
  public InformerEventSource<CloudGrant, ModelEndpoint> eventSource(
      EventSourceContext<ModelEndpoint> context) {
    InformerEventSourceConfiguration<CloudGrant> configuration =
        InformerEventSourceConfiguration.from(CloudGrant.class, ModelEndpoint.class)
            .withName("cloud-grants")
            .withNamespaces(Constants.WATCH_ALL_NAMESPACE_SET)
            .withSecondaryToPrimaryMapper(
                grant -> {
                  Set<String> namespaces = new HashSet<>(namespaces(grant));
                  Set<String> before =
                      lastCovered.put(grant.getMetadata().getName(), Set.copyOf(namespaces));
                  if (before != null) {
                    namespaces.addAll(before);
                  }
                  return namespaces.stream()
                      .flatMap(ns -> context.getPrimaryCache().list(ns))
                      .map(ResourceID::fromResource)
                      .collect(Collectors.toSet());
                })
            .build();
    grants = new InformerEventSource<>(configuration, context);
    return grants;
  }

  private static List<String> namespaces(CloudGrant grant) {
    return grant.getSpec() == null || grant.getSpec().getNamespaces() == null
        ? List.of()
        : grant.getSpec().getNamespaces();
  }

  /** The CloudGrant of this name, as the informer last saw it. */
  public Optional<CloudGrant> grant(String name) {
    InformerEventSource<CloudGrant, ModelEndpoint> source = grants;
    return source == null || name == null
        ? Optional.empty()
        : source.get(new ResourceID(name, null));
  }

  /** Why no grant allows this target of the endpoint; empty when one does. */
  public Optional<String> denial(ModelEndpoint endpoint, Target target) {
    return Optional.ofNullable(decide(endpoint, target).denial());
  }

  /** Whether a grant allows this target of the endpoint, and the identity it names for it. */
  public Grants.Decision decide(ModelEndpoint endpoint, Target target) {
    InformerEventSource<CloudGrant, ModelEndpoint> source = grants;
    List<CloudGrant> all = source == null ? List.of() : source.list().toList();
    String namespace = endpoint.getMetadata().getNamespace();
    return Grants.decide(namespace, target, defaultSubscription, Grants.covering(namespace, all));
  }
}
