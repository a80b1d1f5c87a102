package io.crosswind.wire;

import java.util.Map;

/**
 * Where a gateway replica's circuit report lives: a ConfigMap {@code
 * crosswind-gateway-circuits-<replica>} in the gateway's namespace, labelled {@link #SELECTOR}, the
 * report under {@link #KEY}.
 */
public final class CircuitReportConfigMap {

  public static final String KEY = "circuits.json";
  public static final Map<String, String> SELECTOR =
      Map.of(
          RouteTableSecret.MANAGED_BY,
          RouteTableSecret.MANAGED_BY_VALUE,
          RouteTableSecret.COMPONENT,
          "gateway-circuits");

  private static final String PREFIX = "crosswind-gateway-circuits-";

  private CircuitReportConfigMap() {}

  /** The ConfigMap of a replica (its Pod's name). */
  public static String name(String replica) {
    return PREFIX + replica;
  }

  /** The replica a ConfigMap reports for. */
  public static String replica(String configMapName) {
    return configMapName.startsWith(PREFIX)
        ? configMapName.substring(PREFIX.length())
        : configMapName;
  }
}
