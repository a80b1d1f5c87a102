package io.crosswind.gateway.ops;

import io.crosswind.gateway.routing.CircuitBreakers;
import io.crosswind.wire.CircuitReport;
import io.crosswind.wire.CircuitReportConfigMap;
import io.crosswind.wire.CircuitReports;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports this replica's open circuits to the operator: a ConfigMap {@code
 * crosswind-gateway-circuits-<pod>} in the gateway's namespace, key {@code circuits.json}, owned by
 * the gateway's Pod so that it goes when the Pod goes (docs/gateway.md). It is written only when a
 * circuit opens, re-opens or closes, at most once per {@code minInterval}, by server-side apply (so
 * the gateway needs only create and patch on ConfigMaps); a failed write is retried with backoff
 * and never affects traffic. Each entry carries the time its circuit stays open, so a report left
 * behind by a replica that stopped expires by itself.
 */
public final class CircuitReporter implements AutoCloseable {

  static final String FIELD_MANAGER = "crosswind-gateway";
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(CircuitReporter.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String replica;
  private final String podUid;
  private final Supplier<List<CircuitBreakers.Open>> circuits;
  private final Duration minInterval;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("crosswind-circuit-reporter").daemon().unstarted(r));
  private boolean scheduled;
  private volatile String published;
  private int failuresInARow;

  /**
   * @param replica this replica's name (the Pod's), which names the ConfigMap
   * @param podUid the Pod's uid for the owner reference, or null to leave it out (outside a Pod)
   */
  public CircuitReporter(
      KubernetesClient client,
      String namespace,
      String replica,
      String podUid,
      Supplier<List<CircuitBreakers.Open>> circuits,
      Duration minInterval) {
    this.client = client;
    this.namespace = namespace;
    this.replica = replica;
    this.podUid = podUid == null || podUid.isBlank() ? null : podUid;
    this.circuits = circuits;
    this.minInterval = minInterval;
  }

  public String name() {
    return CircuitReportConfigMap.name(replica);
  }

  /** A circuit changed: publish soon (changes within {@code minInterval} go in one write). */
  public synchronized void changed() {
    if (!scheduled && !timer.isShutdown()) {
      scheduled = true;
      timer.schedule(this::publish, minInterval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void publish() {
    synchronized (this) {
      scheduled = false;
    }
    String report = report(circuits.get());
    if (report.equals(published)) {
      return;
    }
    try {
      apply(report);
      failuresInARow = 0;
    } catch (KubernetesClientException e) {
      failuresInARow++;
      long backoff =
          Math.min(MAX_BACKOFF.toMillis(), minInterval.toMillis() << Math.min(failuresInARow, 10));
      LOG.warn(
          "could not report open circuits in ConfigMap {}/{} (HTTP {}); retrying in {} ms",
          namespace,
          name(),
          e.getCode(),
          backoff);
      synchronized (this) {
        if (!scheduled && !timer.isShutdown()) {
          scheduled = true;
          timer.schedule(this::publish, backoff, TimeUnit.MILLISECONDS);
        }
      }
    }
  }

  private void apply(String report) {
    client
        .configMaps()
        .inNamespace(namespace)
        .resource(configMap(report))
        .fieldManager(FIELD_MANAGER)
        .forceConflicts()
        .serverSideApply();
    published = report;
  }

  static String report(List<CircuitBreakers.Open> open) {
    return CircuitReports.write(
        CircuitReport.of(
            open.stream()
                .map(
                    o ->
                        new CircuitReport.Circuit(
                            o.endpoint(),
                            o.target(),
                            o.cause() == CircuitBreakers.Cause.FAILURES
                                ? CircuitReport.Cause.Failures
                                : CircuitReport.Cause.RetryAfter,
                            o.failures(),
                            o.openUntil()))
                .toList()));
  }

  private ConfigMap configMap(String report) {
    ConfigMapBuilder cm =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(name())
            .withNamespace(namespace)
            .withLabels(CircuitReportConfigMap.SELECTOR)
            .endMetadata()
            .withData(Map.of(CircuitReportConfigMap.KEY, report));
    if (podUid != null) {
      cm.editMetadata()
          .withOwnerReferences(
              new OwnerReferenceBuilder()
                  .withApiVersion("v1")
                  .withKind("Pod")
                  .withName(replica)
                  .withUid(podUid)
                  .build())
          .endMetadata();
    }
    return cm.build();
  }

  /**
   * Stops reporting and empties the report: a replica that stops has no circuits. The ConfigMap
   * itself goes with the Pod that owns it.
   */
  @Override
  public void close() {
    timer.shutdownNow();
    String empty = report(List.of());
    if (published == null || published.equals(empty)) {
      return;
    }
    try {
      apply(empty);
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not empty ConfigMap {}/{} (HTTP {}); its circuits expire by themselves",
          namespace,
          name(),
          e.getCode());
    }
  }
}
