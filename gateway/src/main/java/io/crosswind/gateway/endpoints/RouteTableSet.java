package io.crosswind.gateway.endpoints;

import io.crosswind.wire.RouteTable;
import io.crosswind.wire.RouteTables;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route tables of one source (Secrets, or files), each under the source's name for it,
 * published to the {@link EndpointDirectory} on every change. A table that becomes unreadable keeps
 * its last good version: the operator wrote it, and dropping a serving endpoint for a bad write
 * would turn a bug into an outage.
 */
public final class RouteTableSet {

  private static final Logger LOG = LoggerFactory.getLogger(RouteTableSet.class);

  private record Entry(byte[] content, RouteTable table) {}

  private final EndpointDirectory directory;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private long rejected;

  public RouteTableSet(EndpointDirectory directory) {
    this.directory = directory;
  }

  /** Sets the table under this name from its JSON; answers whether anything changed. */
  public synchronized boolean put(String name, byte[] json) {
    Entry before = entries.get(name);
    if (before != null && Arrays.equals(before.content(), json)) {
      return false;
    }
    RouteTable table;
    try {
      table = RouteTables.read(json);
    } catch (IllegalArgumentException e) {
      rejected++;
      LOG.warn(
          "route table {} is not served as written: {}{}",
          name,
          e.getMessage(),
          before == null || before.table() == null ? "" : "; its previous version stays");
      entries.put(name, new Entry(json, before == null ? null : before.table()));
      publish();
      return true;
    }
    entries.put(name, new Entry(json, table));
    LOG.info(
        "route table {} for endpoint {}: {} targets, active {}",
        name,
        table.id(),
        table.routes().size(),
        table.active());
    publish();
    return true;
  }

  public synchronized boolean remove(String name) {
    if (entries.remove(name) == null) {
      return false;
    }
    LOG.info("route table {} removed", name);
    publish();
    return true;
  }

  /** The names held now. */
  public synchronized Set<String> names() {
    return Set.copyOf(entries.keySet());
  }

  /** Route tables refused since start. */
  public synchronized long rejected() {
    return rejected;
  }

  private void publish() {
    directory.publish(entries.values().stream().map(Entry::table).filter(t -> t != null).toList());
  }
}
