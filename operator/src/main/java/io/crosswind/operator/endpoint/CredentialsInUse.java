package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a credentials Secret while an endpoint still needs it to clean up: the finalizer {@value
 * #FINALIZER} on the Secret, held by each endpoint that uses it under a field manager of its own
 * (server-side apply), so it leaves the Secret only when the last of them lets it go. Without it, a
 * namespace deletion can remove the Secret before the ModelEndpoint, and the endpoint could no
 * longer reach the cloud to delete what it made.
 *
 * <p>Both writes name the Secret's resource version as it was just read: they never create a Secret
 * that was deleted meanwhile, and a Secret changed meanwhile is looked at again on the next
 * reconcile.
 */
final class CredentialsInUse {

  /** The finalizer on a credentials Secret while an endpoint may still need it. */
  static final String FINALIZER = "crosswind.io/in-use";

  private static final Logger LOG = LoggerFactory.getLogger(CredentialsInUse.class);
  private static final String MANAGER = "crosswind-in-use-";

  private CredentialsInUse() {}

  /** The field manager under which {@code endpoint} holds its share of the finalizer. */
  static String manager(ModelEndpoint endpoint) {
    return MANAGER + endpoint.getMetadata().getUid();
  }

  /**
   * Adds the endpoint's share of the finalizer to a Secret it just read, unless it holds one
   * already. Kubernetes takes no new finalizer on an object being deleted, so a Secret already on
   * its way out is left as it is.
   */
  static void hold(ModelEndpoint endpoint, Secret secret, KubernetesClient client) {
    if (secret.getMetadata().getDeletionTimestamp() != null || holds(endpoint, secret)) {
      return;
    }
    write(endpoint, secret, List.of(FINALIZER), client);
  }

  /** Lets go of the endpoint's share of the finalizer on each of these Secrets it holds. */
  static void release(ModelEndpoint endpoint, Collection<String> secrets, KubernetesClient client) {
    String namespace = endpoint.getMetadata().getNamespace();
    for (String name : secrets) {
      Secret secret;
      try {
        secret = client.secrets().inNamespace(namespace).withName(name).get();
      } catch (KubernetesClientException e) {
        LOG.warn("cannot read Secret {}/{} to release it: HTTP {}", namespace, name, e.getCode());
        continue;
      }
      if (secret != null && holds(endpoint, secret)) {
        write(endpoint, secret, List.of(), client);
      }
    }
  }

  /** True when the Secret's managed fields say this endpoint's manager holds the finalizer. */
  static boolean holds(ModelEndpoint endpoint, Secret secret) {
    if (secret.getMetadata().getManagedFields() == null) {
      return false;
    }
    String manager = manager(endpoint);
    return secret.getMetadata().getManagedFields().stream()
        .filter(f -> manager.equals(f.getManager()) && f.getFieldsV1() != null)
        .anyMatch(
            f -> String.valueOf(f.getFieldsV1().getAdditionalProperties()).contains(FINALIZER));
  }

  private static void write(
      ModelEndpoint endpoint, Secret secret, List<String> finalizers, KubernetesClient client) {
    Secret patch =
        new SecretBuilder()
            .withMetadata(
                new ObjectMetaBuilder()
                    .withName(secret.getMetadata().getName())
                    .withNamespace(secret.getMetadata().getNamespace())
                    .withResourceVersion(secret.getMetadata().getResourceVersion())
                    .withFinalizers(finalizers)
                    .build())
            .build();
    try {
      client.secrets().resource(patch).fieldManager(manager(endpoint)).serverSideApply();
    } catch (KubernetesClientException e) {
      // 409: changed or deleted since it was read; 403: the operator may read but not patch it.
      // Either way the endpoint works on, and the next reconcile tries again.
      LOG.warn(
          "Secret {}/{}: could not {} the in-use finalizer for ModelEndpoint {}: HTTP {}",
          secret.getMetadata().getNamespace(),
          secret.getMetadata().getName(),
          finalizers.isEmpty() ? "release" : "add",
          endpoint.getMetadata().getName(),
          e.getCode());
    }
  }
}
