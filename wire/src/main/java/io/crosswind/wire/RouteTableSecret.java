package io.crosswind.wire;

import java.util.Map;

/**
 * Where a route table lives: a Secret in the operator's namespace, found by the gateway through
 * {@link #SELECTOR}, the table under {@link #KEY}. The operator may keep keys of its own beside it;
 * the gateway reads only {@link #KEY}.
 */
public final class RouteTableSecret {

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "crosswind";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String COMPONENT_VALUE = "route-table";

  /** The key of the table in its Secret. */
  public static final String KEY = "routes.json";

  /** The labels every route-table Secret carries and the gateway selects on. */
  public static final Map<String, String> SELECTOR =
      Map.of(MANAGED_BY, MANAGED_BY_VALUE, COMPONENT, COMPONENT_VALUE);

  private static final String PREFIX = "crosswind-routes-";
  private static final int MAX_NAME = 253;

  private RouteTableSecret() {}

  /**
   * The Secret's name for an endpoint: {@code crosswind-routes-<namespace>-<name>}, cut with a hash
   * of the whole to stay within the 253 characters of a Secret name.
   */
  public static String name(String namespace, String endpoint) {
    String full = PREFIX + namespace + "-" + endpoint;
    if (full.length() <= MAX_NAME) {
      return full;
    }
    return full.substring(0, MAX_NAME - 9) + "-" + EndpointKeys.sha256Hex(full).substring(0, 8);
  }
}
