package io.crosswind.operator.publish;

import io.crosswind.operator.cloud.Hashes;
import java.util.Map;

/** The names and labels of everything Crosswind publishes for a ModelEndpoint. */
public final class PublishedNames {

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "crosswind";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String ENDPOINT_NAMESPACE = "crosswind.io/endpoint-namespace";
  public static final String ENDPOINT_NAME = "crosswind.io/endpoint-name";

  /** The key of the route table in its Secret. */
  public static final String ROUTES_KEY = "routes.json";

  /** The key of the endpoint key in the route table's Secret. */
  public static final String ENDPOINT_KEY = "endpoint-key";

  /** The rotation request the endpoint key answers, beside it. */
  public static final String ENDPOINT_KEY_ROTATED_FOR = "endpoint-key-rotated-for";

  public static final String COMPONENT_ROUTE_TABLE = "route-table";
  public static final String COMPONENT_ENDPOINT = "endpoint";

  /** Selects what Crosswind publishes; with a component, route tables or endpoint objects. */
  public static final String SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;

  private PublishedNames() {}

  /** The endpoint Secret applications read, in the endpoint's namespace. */
  public static String endpointSecret(String endpoint) {
    return endpoint + "-endpoint";
  }

  /**
   * The route table's Secret in the operator namespace: {@code crosswind-routes-<ns>-<name>}, cut
   * with a hash of the whole to stay within the 253 characters of a Secret name.
   */
  public static String routeTable(String namespace, String endpoint) {
    String full = "crosswind-routes-" + namespace + "-" + endpoint;
    if (full.length() <= 253) {
      return full;
    }
    return full.substring(0, 244) + "-" + sha256(full).substring(0, 8);
  }

  public static Map<String, String> labels(String namespace, String endpoint, String component) {
    return Map.of(
        MANAGED_BY, MANAGED_BY_VALUE,
        PART_OF, "crosswind",
        COMPONENT, component,
        ENDPOINT_NAMESPACE, namespace,
        ENDPOINT_NAME, endpoint);
  }

  public static String sha256(String text) {
    return Hashes.sha256(text);
  }
}
