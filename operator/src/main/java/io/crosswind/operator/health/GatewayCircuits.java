package io.crosswind.operator.health;

import io.crosswind.wire.CircuitReport;
import io.crosswind.wire.CircuitReportConfigMap;
import io.crosswind.wire.CircuitReports;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's passive health view, as its replicas report it: each replica keeps a ConfigMap
 * {@code crosswind-gateway-circuits-<pod>} in the operator namespace listing the circuits it has
 * open (see the gateway's {@code CircuitReporter} and docs/gateway.md). A target whose circuit is
 * open in any replica counts as failing real traffic; an entry counts only until its {@code
 * openUntil}, so a report left by a replica that stopped expires by itself. The endpoint is told
 * when a target's circuit opens or closes, and again when an open one runs out.
 */
public final class GatewayCircuits implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayCircuits.class);

  /**
   * A target's circuit open in one gateway replica.
   *
   * @param replica the replica (Pod) that reported it
   * @param failures attempts that failed in a row there
   * @param openUntil when that replica tries the target again
   */
  public record Circuit(
      ResourceID endpoint,
      String target,
      String replica,
      CircuitReport.Cause cause,
      int failures,
      Instant openUntil) {}

  private final Clock clock;
  private final Map<String, List<Circuit>> reports = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("crosswind-gateway-circuits").daemon().unstarted(r));
  private volatile Consumer<ResourceID> onChange = id -> {};
  private SharedIndexInformer<ConfigMap> informer;

  public GatewayCircuits(Clock clock) {
    this.clock = clock;
  }

  /** A view with no reports, for an operator that does not watch the gateway. */
  public static GatewayCircuits none() {
    return new GatewayCircuits(Clock.systemUTC());
  }

  /** Told the endpoint whose targets' circuits changed. */
  public void onChange(Consumer<ResourceID> listener) {
    this.onChange = listener;
  }

  /** Watches the reports in the namespace (the operator's, where the gateway runs). */
  public synchronized void start(KubernetesClient client, String namespace) {
    informer =
        client
            .configMaps()
            .inNamespace(namespace)
            .withLabels(CircuitReportConfigMap.SELECTOR)
            .runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(ConfigMap cm) {
            update(cm.getMetadata().getName(), parse(cm));
          }

          @Override
          public void onUpdate(ConfigMap before, ConfigMap after) {
            update(after.getMetadata().getName(), parse(after));
          }

          @Override
          public void onDelete(ConfigMap cm, boolean finalStateUnknown) {
            update(cm.getMetadata().getName(), List.of());
          }
        });
    informer.start();
  }

  /**
   * The target's circuit as the gateway sees it now: of the replicas that have it open, the one
   * open longest ahead; empty when no replica has it open.
   */
  public Optional<Circuit> open(ResourceID endpoint, String target) {
    return openNow(endpoint, target).max(Comparator.comparing(Circuit::openUntil));
  }

  /** How many replicas have the target's circuit open now. */
  public long replicasOpen(ResourceID endpoint, String target) {
    return openNow(endpoint, target).map(Circuit::replica).distinct().count();
  }

  private Stream<Circuit> openNow(ResourceID endpoint, String target) {
    Instant now = clock.instant();
    return reports.values().stream()
        .flatMap(List::stream)
        .filter(
            c ->
                c.endpoint().equals(endpoint)
                    && c.target().equals(target)
                    && c.openUntil().isAfter(now));
  }

  void update(String report, List<Circuit> circuits) {
    List<Circuit> before =
        circuits.isEmpty() ? reports.remove(report) : reports.put(report, circuits);
    Set<ResourceID> touched = new HashSet<>();
    if (before != null) {
      before.forEach(c -> touched.add(c.endpoint()));
    }
    Instant now = clock.instant();
    for (Circuit c : circuits) {
      touched.add(c.endpoint());
      Duration left = Duration.between(now, c.openUntil());
      if (!left.isNegative()) {
        // Once it runs out the endpoint should look again; a little later, so that it has.
        timer.schedule(
            () -> onChange.accept(c.endpoint()), left.toMillis() + 50, TimeUnit.MILLISECONDS);
      }
    }
    if (!(before == null ? List.of() : before).equals(circuits)) {
      touched.forEach(onChange);
    }
  }

  /** The circuits of one report; a report that does not parse counts as none, with a warning. */
  static List<Circuit> parse(ConfigMap cm) {
    String name = cm.getMetadata().getName();
    String body = cm.getData() == null ? null : cm.getData().get(CircuitReportConfigMap.KEY);
    if (body == null) {
      return List.of();
    }
    CircuitReport report;
    try {
      report = CircuitReports.read(body);
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring gateway circuit report {}: {}", name, e.getMessage());
      return List.of();
    }
    String replica = CircuitReportConfigMap.replica(name);
    return report.circuits().stream()
        .map(
            c -> {
              String[] endpoint = c.endpoint().split("/", 2);
              return new Circuit(
                  new ResourceID(endpoint[1], endpoint[0]),
                  c.target(),
                  replica,
                  c.cause(),
                  c.failures(),
                  c.openUntil());
            })
        .toList();
  }

  @Override
  public synchronized void close() {
    if (informer != null) {
      informer.close();
    }
    timer.shutdownNow();
  }
}
