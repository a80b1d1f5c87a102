package io.crosswind.operator.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and writes route tables as the {@code routes.json} key of their Secret. */
public final class RouteTables {

  private static final Logger LOG = LoggerFactory.getLogger(RouteTables.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private RouteTables() {}

  /** The table in the Secret; {@link RouteTable#EMPTY} when there is none or it is unreadable. */
  public static RouteTable read(Optional<Secret> secret) {
    Optional<String> encoded =
        secret.map(Secret::getData).map(d -> d.get(PublishedNames.ROUTES_KEY));
    if (encoded.isEmpty()) {
      return RouteTable.EMPTY;
    }
    try {
      return JSON.readValue(Base64.getDecoder().decode(encoded.get()), RouteTable.class);
    } catch (java.io.IOException | IllegalArgumentException e) {
      // Never the content in the log: it holds credentials.
      LOG.warn(
          "route table {} is unreadable ({}); rebuilding it",
          secret.get().getMetadata().getName(),
          e.getClass().getSimpleName());
      return RouteTable.EMPTY;
    }
  }

  public static String json(RouteTable table) {
    try {
      return JSON.writeValueAsString(table);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a route table could not be written as JSON", e);
    }
  }

  public static RouteTable parse(String json) {
    try {
      return JSON.readValue(json.getBytes(StandardCharsets.UTF_8), RouteTable.class);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not a route table", e);
    }
  }

  /**
   * The route table's Secret in the operator namespace: the table, and the endpoint key itself with
   * the rotation it answers (the table holds only hashes), kept here so that the operator never
   * needs to read the endpoint Secret in the application's namespace.
   */
  public static Secret secret(String operatorNamespace, RouteTable table, EndpointKey key) {
    Map<String, String> data = new java.util.TreeMap<>();
    data.put(PublishedNames.ROUTES_KEY, json(table));
    data.put(PublishedNames.ENDPOINT_KEY, key.value());
    if (key.rotatedFor() != null) {
      data.put(PublishedNames.ENDPOINT_KEY_ROTATED_FOR, key.rotatedFor());
    }
    return Publisher.secret(
        operatorNamespace,
        PublishedNames.routeTable(table.namespace(), table.name()),
        PublishedNames.labels(
            table.namespace(), table.name(), PublishedNames.COMPONENT_ROUTE_TABLE),
        null,
        data);
  }

  /** The endpoint key kept in a route table's Secret, with its rotation state. */
  public static Optional<EndpointKey> endpointKey(Secret secret) {
    Optional<String> value = text(secret, PublishedNames.ENDPOINT_KEY);
    if (value.isEmpty() || !value.get().startsWith(EndpointKey.PREFIX)) {
      return Optional.empty();
    }
    RouteTable table = read(Optional.of(secret));
    return Optional.of(
        new EndpointKey(
            value.get(),
            text(secret, PublishedNames.ENDPOINT_KEY_ROTATED_FOR).orElse(null),
            table.previousEndpointKeySha256(),
            table.previousEndpointKeyUntil() == null
                ? null
                : java.time.Instant.parse(table.previousEndpointKeyUntil())));
  }

  private static Optional<String> text(Secret secret, String key) {
    return Optional.ofNullable(secret.getData())
        .map(d -> d.get(key))
        .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
  }
}
