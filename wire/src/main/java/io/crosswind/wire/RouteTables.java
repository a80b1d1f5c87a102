package io.crosswind.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes and reads {@code routes.json}. The reader refuses, as a whole, a table the gateway cannot
 * serve safely (not JSON, another format, no namespace, name or model, a key hash that is not 64
 * lower-case hex digits, a route without a name or a name twice); its messages never quote the
 * content, which holds credentials.
 */
public final class RouteTables {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private RouteTables() {}

  public static String write(RouteTable table) {
    try {
      return Wire.JSON.writeValueAsString(table);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a route table could not be written as JSON", e);
    }
  }

  /**
   * The route table in these bytes.
   *
   * @throws IllegalArgumentException when it is not a route table the gateway can serve
   */
  public static RouteTable read(byte[] json) {
    RouteTable table;
    try {
      table = Wire.JSON.readValue(json, RouteTable.class);
    } catch (IOException e) {
      // The exception's own message may quote the content: only its kind is passed on.
      throw new IllegalArgumentException(
          "not a route table (" + e.getClass().getSimpleName() + ")");
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
    hex(table, table.endpointKeySha256(), "endpointKeySha256");
    hex(table, table.previousEndpointKeySha256(), "previousEndpointKeySha256");
    Set<String> names = new HashSet<>();
    for (RouteTable.Route route : table.routes()) {
      if (route == null || route.target() == null || !names.add(route.target())) {
        throw new IllegalArgumentException(
            "route table " + table.id() + " has a route without a name, or a name twice");
      }
    }
    return table;
  }

  private static void hex(RouteTable table, String hash, String field) {
    if (hash != null && !SHA256_HEX.matcher(hash).matches()) {
      throw new IllegalArgumentException(
          "route table " + table.id() + " has a " + field + " that is not 64 lower-case hex");
    }
  }

  private static void require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("route table has no " + field);
    }
  }
}
