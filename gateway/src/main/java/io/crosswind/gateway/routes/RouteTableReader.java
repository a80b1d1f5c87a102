package io.crosswind.gateway.routes;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code routes.json}. Refuses what the gateway cannot serve safely (another format version,
 * no key hash, no model); the message never quotes the content, which holds credentials.
 */
public final class RouteTableReader {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private RouteTableReader() {}

  /**
   * The route table in these bytes.
   *
   * @throws IllegalArgumentException when it is not a route table the gateway can serve
   */
  public static RouteTable read(byte[] json) {
    RouteTable table;
    try {
      table = JSON.readValue(json, RouteTable.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not a route table (" + e.getClass().getSimpleName() + ")", e);
    }
    if (table == null) {
      throw new IllegalArgumentException("not a route table (empty)");
    }
    if (table.format() != RouteTable.FORMAT) {
      throw new IllegalArgumentException(
          "route table format " + table.format() + " is not " + RouteTable.FORMAT);
    }
    require(table.namespace(), "namespace");
    require(table.name(), "name");
    require(table.model(), "model");
    String hash = table.endpointKeySha256();
    if (hash != null && !SHA256_HEX.matcher(hash).matches()) {
      throw new IllegalArgumentException(
          "route table " + table.id() + " has an endpointKeySha256 that is not 64 lower-case hex");
    }
    String previous = table.previousEndpointKeySha256();
    if (previous != null && !SHA256_HEX.matcher(previous).matches()) {
      throw new IllegalArgumentException(
          "route table "
              + table.id()
              + " has a previousEndpointKeySha256 that is not 64 lower-case hex");
    }
    Set<String> names = new HashSet<>();
    for (RouteTable.Route route : table.routes()) {
      if (route == null || route.target() == null || !names.add(route.target())) {
        throw new IllegalArgumentException(
            "route table " + table.id() + " has a route without a name, or a name twice");
      }
    }
    return table;
  }

  private static void require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("route table has no " + field);
    }
  }
}
