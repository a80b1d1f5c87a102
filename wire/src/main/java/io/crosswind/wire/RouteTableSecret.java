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
  private static final int HASH = 32;

  private RouteTableSecret() {}

  /**
   * The Secret's name for an endpoint: {@code crosswind-routes-<namespace>.<name>}. A namespace
   * name has no dot, so the first dot tells namespace and name apart, and no two endpoints share a
   * name ({@code team/prod-chat} and {@code team-prod/chat} do not). A name longer than 220
   * characters is cut there and ends in 128 bits of the SHA-256 of the whole, 253 characters in
   * all: longer than any uncut name, and apart from every other cut one.
   */
  public static String name(String namespace, String endpoint) {
    String full = PREFIX + namespace + "." + endpoint;
    int keep = MAX_NAME - HASH - 1;
    if (full.length() <= keep) {
      return full;
    }
    String head = full.substring(0, keep);
    if (head.endsWith(".")) {
      // a label may not start with the dash that follows
      head = head.substring(0, keep - 1) + "x";
    }
    return head + "-" + EndpointKeys.sha256Hex(full).substring(0, HASH);
  }

  /**
   * The name Crosswind 0.1 gave the Secret, {@code crosswind-routes-<namespace>-<name>}, which two
   * endpoints could share. The operator moves a table it finds there to {@link #name}.
   */
  public static String legacyName(String namespace, String endpoint) {
    String full = PREFIX + namespace + "-" + endpoint;
    if (full.length() <= MAX_NAME) {
      return full;
    }
    return full.substring(0, MAX_NAME - 9) + "-" + EndpointKeys.sha256Hex(full).substring(0, 8);
  }
}
