package io.crosswind.operator.publish;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the endpoint Secret in the application's namespace with server-side apply under the field
 * manager {@value #FIELD_MANAGER}: the operator may write Secrets there, not read them, so it
 * applies and lets the API server tell what changed. The route table and the Service are JOSDK
 * dependent resources of the endpoint.
 */
public final class Publisher {

  public static final String FIELD_MANAGER = "crosswind";

  private final KubernetesClient client;

  public Publisher(KubernetesClient client) {
    this.client = client;
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
   * Applies {@code desired} under the field manager {@value #FIELD_MANAGER}, taking over fields
   * another manager set; the API server stores nothing new when nothing changed.
   */
  public <T extends HasMetadata> T apply(T desired) {
    return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }
}
