package io.crosswind.operator.cloud;

import java.util.Map;

/**
 * Who a cloud resource belongs to: the ModelEndpoint that made it, in the cluster that runs the
 * operator. Written as the tag {@code crosswind.io/owner: <cluster-id>/<namespace>/<name>} on every
 * resource Crosswind creates; a resource without it is never modified or deleted.
 *
 * @param uid the ModelEndpoint's metadata.uid, when known
 */
public record Owner(String clusterId, String namespace, String name, String uid) {

  public static final String TAG = "crosswind.io/owner";

  /** An owner whose object uid is not known (tests, and tags, which never carry it). */
  public Owner(String clusterId, String namespace, String name) {
    this(clusterId, namespace, name, null);
  }

  /**
   * What idempotency tokens are derived from: the tag value and the endpoint's uid, so that an
   * endpoint deleted and made again under the same name never replays its predecessor's create.
   */
  public String identity() {
    return uid == null ? tagValue() : tagValue() + "#" + uid;
  }

  public String tagValue() {
    return clusterId + "/" + namespace + "/" + name;
  }

  /** True when the tags say this endpoint owns the resource. */
  public boolean owns(Map<String, String> tags) {
    return tags != null && tagValue().equals(tags.get(TAG));
  }

  /**
   * True when the tags say an endpoint of this cluster in this owner's namespace made the resource:
   * what one namespace made serves that namespace only, unless a grant shares it.
   */
  public boolean sameNamespace(Map<String, String> tags) {
    String value = tags == null ? null : tags.get(TAG);
    return value != null && value.startsWith(clusterId + "/" + namespace + "/");
  }

  /** True when the tags say some endpoint of this cluster made the resource. */
  public boolean sameCluster(Map<String, String> tags) {
    String value = tags == null ? null : tags.get(TAG);
    return value != null && value.startsWith(clusterId + "/");
  }
}
