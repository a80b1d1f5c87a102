package io.crosswind.operator.publish;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes what an endpoint publishes, with server-side apply under the field manager {@value
 * #FIELD_MANAGER}, and only when it differs from what the cluster has: a steady state writes
 * nothing.
 */
public final class Publisher {

  public static final String FIELD_MANAGER = "crosswind";

  private final KubernetesClient client;
  private final boolean serverSideApply;

  /**
   * @param serverSideApply false only against a test API server that lacks it (create or update)
   */
  public Publisher(KubernetesClient client, boolean serverSideApply) {
    this.client = client;
    this.serverSideApply = serverSideApply;
  }

  /** A Secret with this plain-text data, labels and (optional) controller owner. */
  public static Secret secret(
      String namespace,
      String name,
      Map<String, String> labels,
      OwnerReference owner,
      Map<String, String> data) {
    Map<String, String> encoded = new LinkedHashMap<>();
    data.forEach(
        (k, v) ->
            encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    SecretBuilder builder =
        new SecretBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .withType("Opaque")
            .withData(encoded);
    if (owner != null) {
      builder.editMetadata().withOwnerReferences(owner).endMetadata();
    }
    return builder.build();
  }

  /** A Service whose DNS name leads to the gateway's Service in the operator namespace. */
  public static Service gatewayAlias(
      String namespace,
      String name,
      Map<String, String> labels,
      OwnerReference owner,
      String gatewayHost) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withLabels(labels)
        .withOwnerReferences(owner)
        .endMetadata()
        .withNewSpec()
        .withType("ExternalName")
        .withExternalName(gatewayHost)
        .addNewPort()
        .withName("http")
        .withPort(80)
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }

  public static OwnerReference controller(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /**
   * Writes {@code desired} unless {@code current} already says the same.
   *
   * @return what the API server stored, empty when nothing was written
   */
  public <T extends HasMetadata> java.util.Optional<T> apply(T desired, T current) {
    if (current != null && same(desired, current)) {
      return java.util.Optional.empty();
    }
    if (serverSideApply) {
      return java.util.Optional.of(
          client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply());
    }
    return java.util.Optional.of(
        client
            .resource(desired)
            .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update));
  }

  /** Deletes the object if it exists; true when it did. */
  public boolean delete(HasMetadata current) {
    if (current == null) {
      return false;
    }
    return !client.resource(current).delete().isEmpty();
  }

  /**
   * Whether {@code current} already says everything {@code desired} says: its labels, annotations
   * and owners, and a Secret's type and data or a Service's type, external name and ports. What
   * others added beside (labels, annotations of their own) does not count; a value of ours that
   * differs does.
   */
  static boolean same(HasMetadata desired, HasMetadata current) {
    if (!containsAll(desired.getMetadata().getLabels(), current.getMetadata().getLabels())
        || !containsAll(
            desired.getMetadata().getAnnotations(), current.getMetadata().getAnnotations())
        || !Objects.equals(
            desired.getMetadata().getOwnerReferences(),
            current.getMetadata().getOwnerReferences())) {
      return false;
    }
    if (desired instanceof Secret d && current instanceof Secret c) {
      return Objects.equals(d.getData(), c.getData()) && Objects.equals(d.getType(), c.getType());
    }
    if (desired instanceof Service d && current instanceof Service c) {
      return Objects.equals(d.getSpec().getType(), c.getSpec().getType())
          && Objects.equals(d.getSpec().getExternalName(), c.getSpec().getExternalName())
          && samePorts(d.getSpec().getPorts(), c.getSpec().getPorts());
    }
    return false;
  }

  private static boolean containsAll(Map<String, String> desired, Map<String, String> current) {
    if (desired == null || desired.isEmpty()) {
      return true;
    }
    return current != null && current.entrySet().containsAll(desired.entrySet());
  }

  /** The same ports by name, number and protocol, in any order. */
  private static boolean samePorts(List<ServicePort> desired, List<ServicePort> current) {
    if (desired == null || current == null) {
      return desired == current;
    }
    if (desired.size() != current.size()) {
      return false;
    }
    return desired.stream()
        .allMatch(
            d ->
                current.stream()
                    .anyMatch(
                        c ->
                            Objects.equals(d.getName(), c.getName())
                                && Objects.equals(d.getPort(), c.getPort())
                                && Objects.equals(
                                    d.getProtocol() == null ? "TCP" : d.getProtocol(),
                                    c.getProtocol() == null ? "TCP" : c.getProtocol())));
  }
}
