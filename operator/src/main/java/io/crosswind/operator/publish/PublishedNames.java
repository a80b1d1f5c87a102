package io.crosswind.operator.publish;

import io.crosswind.wire.RouteTableSecret;
import java.util.Map;

/** The names and labels of everything Crosswind publishes for a ModelEndpoint. */
public final class PublishedNames {

  public static final String MANAGED_BY = RouteTableSecret.MANAGED_BY;
  public static final String MANAGED_BY_VALUE = RouteTableSecret.MANAGED_BY_VALUE;
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String COMPONENT = RouteTableSecret.COMPONENT;
  public static final String ENDPOINT_NAMESPACE = "crosswind.io/endpoint-namespace";
  public static final String ENDPOINT_NAME = "crosswind.io/endpoint-name";

  /** The key of the route table in its Secret. */
  public static final String ROUTES_KEY = RouteTableSecret.KEY;

  /** The key of the operator's bookkeeping beside it ({@link RouteLedger}). */
  public static final String LEDGER_KEY = "ledger.json";

  /** The key of the endpoint key in the route table's Secret. */
  public static final String ENDPOINT_KEY = "endpoint-key";

  /** The rotation request the endpoint key answers, beside it. */
  public static final String ENDPOINT_KEY_ROTATED_FOR = "endpoint-key-rotated-for";

  public static final String COMPONENT_ROUTE_TABLE = RouteTableSecret.COMPONENT_VALUE;
  public static final String COMPONENT_ENDPOINT = "endpoint";

  /** Selects what Crosswind publishes; with a component, route tables or endpoint objects. */
  public static final String SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;

  private PublishedNames() {}

  /** The endpoint Secret applications read, in the endpoint's namespace. */
  public static String endpointSecret(String endpoint) {
    return endpoint + "-endpoint";
  }

  /**
   * The route table's Secret in the operator namespace: {@code crosswind-routes-<ns>.<name>}, no
   * two endpoints the same ({@link RouteTableSecret#name}).
   */
  public static String routeTable(String namespace, String endpoint) {
    return RouteTableSecret.name(namespace, endpoint);
  }

  public static Map<String, String> labels(String namespace, String endpoint, String component) {
    return Map.of(
        MANAGED_BY, MANAGED_BY_VALUE,
        PART_OF, "crosswind",
        COMPONENT, component,
        ENDPOINT_NAMESPACE, namespace,
        ENDPOINT_NAME, endpoint);
  }
}
