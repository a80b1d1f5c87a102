package io.crosswind.operator.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crosswind.wire.RouteTables;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes the route table's Secret: the table the gateway reads under {@code routes.json}
 * (written by {@code crosswind-wire}), the operator's bookkeeping under {@code ledger.json}, and
 * the endpoint key with the rotation it answers.
 */
public final class PublishedTables {

  private static final Logger LOG = LoggerFactory.getLogger(PublishedTables.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private PublishedTables() {}

  /**
   * What the Secret records as published; {@link PublishedTable#EMPTY} when there is none or it is
   * unreadable. A table written before the ledger existed carries the bookkeeping in {@code
   * routes.json} itself, and is read as it is.
   */
  public static PublishedTable read(Optional<Secret> secret) {
    Optional<String> encoded =
        secret.map(Secret::getData).map(d -> d.get(PublishedNames.ROUTES_KEY));
    if (encoded.isEmpty()) {
      return PublishedTable.EMPTY;
    }
    try {
      PublishedTable table =
          JSON.readValue(Base64.getDecoder().decode(encoded.get()), PublishedTable.class);
      return withLedger(secret.get(), table);
    } catch (java.io.IOException | IllegalArgumentException e) {
      // Never the content in the log: it holds credentials.
      LOG.warn(
          "route table {} is unreadable ({}); rebuilding it",
          secret.get().getMetadata().getName(),
          e.getClass().getSimpleName());
      return PublishedTable.EMPTY;
    }
  }

  /**
   * The table with the bookkeeping of {@code ledger.json}. An unreadable ledger costs only the
   * bookkeeping, not the table: what is published keeps serving, and the next reconcile records it
   * again.
   */
  private static PublishedTable withLedger(Secret secret, PublishedTable table) {
    Optional<String> ledger;
    try {
      ledger = text(secret, PublishedNames.LEDGER_KEY);
      return ledger.isEmpty() ? table : table.with(JSON.readValue(ledger.get(), RouteLedger.class));
    } catch (java.io.IOException | IllegalArgumentException e) {
      LOG.warn(
          "the ledger beside route table {} is unreadable ({}); keeping the table without it",
          secret.getMetadata().getName(),
          e.getClass().getSimpleName());
      return table;
    }
  }

  /** The operator's bookkeeping as {@code ledger.json} holds it. */
  static String json(RouteLedger ledger) {
    try {
      return JSON.writeValueAsString(ledger);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a route ledger could not be written as JSON", e);
    }
  }

  /**
   * The route table's Secret in the operator namespace: the table, and the endpoint key itself with
   * the rotation it answers (the table holds only hashes), kept here so that the operator never
   * needs to read the endpoint Secret in the application's namespace.
   */
  public static Secret secret(String operatorNamespace, PublishedTable table, EndpointKey key) {
    Map<String, String> data = new java.util.TreeMap<>();
    data.put(PublishedNames.ROUTES_KEY, RouteTables.write(table.toWire()));
    data.put(PublishedNames.LEDGER_KEY, json(table.ledger()));
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
    PublishedTable table = read(Optional.of(secret));
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
