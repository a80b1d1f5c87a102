package io.crosswind.operator.cloud;

import java.util.Map;

/**
 * Who a cloud resource belongs to: the ModelEndpoint that made it, in the cluster that runs the
 * operator. Written as the tag {@code crosswind.io/owner: <cluster-id>/<namespace>/<name>} on every
 * resource Crosswind creates; a resource without it is never modified or deleted.
 */
public record Owner(String clusterId, String namespace, String name) {

  public static final String TAG = "crosswind.io/owner";

  public String tagValue() {
    return clusterId + "/" + namespace + "/" + name;
  }

  /** True when the tags say this endpoint owns the resource. */
  public boolean owns(Map<String, String> tags) {
    return tags != null && tagValue().equals(tags.get(TAG));
  }

  /** True when the tags say some endpoint of this cluster made the resource. */
  public boolean sameCluster(Map<String, String> tags) {
    String value = tags == null ? null : tags.get(TAG);
    return value != null && value.startsWith(clusterId + "/");
  }
}
