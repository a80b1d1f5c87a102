package io.crosswind.gateway.endpoints;

import io.crosswind.wire.EndpointKeys;
import io.crosswind.wire.RouteTable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints the gateway serves, found by the SHA-256 of the key a request presents. Each change
 * of the route tables swaps the whole snapshot at once; a request keeps the table it looked up, so
 * a change never disturbs one in flight.
 *
 * <p>The lookup is by the key's hash, then confirmed with a constant-time comparison of the
 * digests: the map lookup can only leak how much of a SHA-256 matched, which tells nothing about
 * the key. Two tables that claim the same key serve neither: a key must never reach another
 * endpoint.
 */
public final class EndpointDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(EndpointDirectory.class);

  private record Snapshot(
      Map<String, RouteTable> byKeyHash, Map<String, RouteTable> byId, int tables) {}

  private final AtomicReference<Snapshot> current =
      new AtomicReference<>(new Snapshot(Map.of(), Map.of(), 0));

  private final Clock clock;

  public EndpointDirectory() {
    this(Clock.systemUTC());
  }

  public EndpointDirectory(Clock clock) {
    this.clock = clock;
  }

  /**
   * Replaces every endpoint with these tables. An endpoint is found by its key and, after a
   * rotation, by the key it replaced until {@code previousEndpointKeyUntil}; Direct endpoints are
   * not served.
   */
  public void publish(Collection<RouteTable> tables) {
    Map<String, RouteTable> byHash = new HashMap<>();
    Set<String> clashing = new HashSet<>();
    for (RouteTable table : tables) {
      if (table.direct()) {
        continue;
      }
      List<String> hashes = new ArrayList<>(List.of(table.endpointKeySha256()));
      if (table.previousEndpointKeySha256() != null && table.previousEndpointKeyUntil() != null) {
        hashes.add(table.previousEndpointKeySha256());
      }
      for (String hash : hashes) {
        RouteTable before = byHash.putIfAbsent(hash, table);
        if (before != null && !before.id().equals(table.id())) {
          clashing.add(hash);
          LOG.warn(
              "endpoints {} and {} have the same key; neither is served until one changes",
              before.id(),
              table.id());
        }
      }
    }
    clashing.forEach(byHash::remove);
    Map<String, RouteTable> byId = new HashMap<>();
    byHash.values().forEach(t -> byId.put(t.id(), t));
    current.set(new Snapshot(Map.copyOf(byHash), Map.copyOf(byId), tables.size()));
  }

  /**
   * The endpoint whose key this is (or whose previous key, during the overlap after a rotation).
   */
  public Optional<RouteTable> find(String presentedKey) {
    if (presentedKey == null || presentedKey.isEmpty()) {
      return Optional.empty();
    }
    byte[] digest = EndpointKeys.digest(presentedKey);
    RouteTable table = current.get().byKeyHash().get(HexFormat.of().formatHex(digest));
    if (table == null) {
      return Optional.empty();
    }
    if (EndpointKeys.matches(digest, table.endpointKeySha256())) {
      return Optional.of(table);
    }
    boolean previous =
        EndpointKeys.matches(digest, table.previousEndpointKeySha256())
            && table.previousEndpointKeyUntil() != null
            && clock.instant().isBefore(table.previousEndpointKeyUntil());
    return previous ? Optional.of(table) : Optional.empty();
  }

  /** The served endpoint of this id (namespace/name). */
  public Optional<RouteTable> byId(String id) {
    return Optional.ofNullable(current.get().byId().get(id));
  }

  /** How many endpoints are served now. */
  public int size() {
    return current.get().byKeyHash().size();
  }

  /** How many route tables were published, served or not. */
  public int tables() {
    return current.get().tables();
  }
}
