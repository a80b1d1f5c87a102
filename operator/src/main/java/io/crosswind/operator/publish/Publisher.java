package io.crosswind.operator.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the endpoint Secret in the application's namespace. The operator may write Secrets there,
 * not read them, and must never change or delete one it did not create; so every write is a JSON
 * patch whose first operation tests that the Secret's controller is this endpoint (the API server
 * refuses the whole patch with 422 otherwise, and nothing changes), and a Secret that does not
 * exist is created. The route table and the Service are JOSDK dependent resources of the endpoint.
 */
public final class Publisher {

  private static final int NOT_FOUND = 404;
  private static final int UNPROCESSABLE = 422;
  private static final ObjectMapper JSON = new ObjectMapper();

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
   * Writes {@code desired} (which names its controller, the endpoint) over the Secret of its name
   * when that Secret's first owner reference is the same endpoint, or creates it when there is
   * none; the API server stores nothing new when nothing changed.
   *
   * @return false, with nothing written, when a Secret of that name exists that the endpoint does
   *     not control
   */
  public boolean writeOwned(Secret desired) {
    String uid = desired.getMetadata().getOwnerReferences().get(0).getUid();
    List<Map<String, Object>> patch = new ArrayList<>(ownedBy(uid));
    // Each of our labels on its own, so that labels someone else put on the Secret stay.
    desired
        .getMetadata()
        .getLabels()
        .forEach((k, v) -> patch.add(add("/metadata/labels/" + pointer(k), v)));
    patch.add(add("/data", desired.getData()));
    try {
      secrets(desired).patch(PatchContext.of(PatchType.JSON), json(patch));
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == UNPROCESSABLE) {
        // Not this endpoint's, or its labels were all removed: the test alone tells which.
        return owned(desired.getMetadata().getNamespace(), desired.getMetadata().getName(), uid)
            && rewriteLabels(desired, uid);
      }
      if (e.getCode() != NOT_FOUND) {
        throw e;
      }
    }
    // Absent: create it. A Secret made meanwhile makes this fail (409), and the next reconcile
    // looks again.
    client.secrets().inNamespace(desired.getMetadata().getNamespace()).resource(desired).create();
    return true;
  }

  private boolean rewriteLabels(Secret desired, String uid) {
    List<Map<String, Object>> patch = new ArrayList<>(ownedBy(uid));
    patch.add(add("/metadata/labels", desired.getMetadata().getLabels()));
    patch.add(add("/data", desired.getData()));
    secrets(desired).patch(PatchContext.of(PatchType.JSON), json(patch));
    return true;
  }

  /** True when the Secret exists and its first owner reference is the endpoint with this uid. */
  private boolean owned(String namespace, String name, String uid) {
    try {
      named(namespace, name).patch(PatchContext.of(PatchType.JSON), json(ownedBy(uid)));
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == UNPROCESSABLE || e.getCode() == NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  /** A JSON pointer segment (RFC 6901): {@code ~} and {@code /} escaped. */
  private static String pointer(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  /**
   * Deletes the Secret only when its first owner reference is the endpoint with this uid, and only
   * as the API server has it at that moment (a precondition on its resource version).
   */
  public void deleteOwned(String namespace, String name, String ownerUid) {
    Secret current;
    try {
      current =
          named(namespace, name).patch(PatchContext.of(PatchType.JSON), json(ownedBy(ownerUid)));
    } catch (KubernetesClientException e) {
      if (e.getCode() == UNPROCESSABLE || e.getCode() == NOT_FOUND) {
        return;
      }
      throw e;
    }
    try {
      client.secrets().inNamespace(namespace).resource(current).lockResourceVersion().delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != NOT_FOUND) {
        throw e;
      }
    }
  }

  private io.fabric8.kubernetes.client.dsl.Resource<Secret> secrets(Secret desired) {
    return named(desired.getMetadata().getNamespace(), desired.getMetadata().getName());
  }

  /**
   * The Secret of this name as an item, not a name: fabric8 then sends a patch as it is, where with
   * a name alone it would read the Secret first, which the operator may not.
   */
  private io.fabric8.kubernetes.client.dsl.Resource<Secret> named(String namespace, String name) {
    return client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .build());
  }

  /** A JSON patch operation that fails the patch unless the endpoint with this uid controls it. */
  private static List<Map<String, Object>> ownedBy(String uid) {
    return List.of(Map.of("op", "test", "path", "/metadata/ownerReferences/0/uid", "value", uid));
  }

  private static Map<String, Object> add(String path, Object value) {
    return Map.of("op", "add", "path", path, "value", value == null ? Map.of() : value);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
