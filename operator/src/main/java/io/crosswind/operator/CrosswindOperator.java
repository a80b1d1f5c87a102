package io.crosswind.operator;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import io.crosswind.operator.cloud.CloudProviders;
import io.crosswind.operator.cloud.ManagementPacer;
import io.crosswind.operator.cloud.azure.AzureSettings;
import io.crosswind.operator.cloud.azure.AzureTargetProvider;
import io.crosswind.operator.cloud.bedrock.BedrockSettings;
import io.crosswind.operator.cloud.bedrock.BedrockTargetProvider;
import io.crosswind.operator.endpoint.EndpointSettings;
import io.crosswind.operator.endpoint.ModelEndpointReconciler;
import io.crosswind.operator.events.EventRecorder;
import io.crosswind.operator.health.GatewayCircuits;
import io.crosswind.operator.health.TargetProber;
import io.crosswind.operator.routing.RoutingMetrics;
import io.crosswind.operator.routing.RoutingPolicyReconciler;
import io.crosswind.operator.tenancy.GrantBook;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The operator process: both controllers on one JOSDK {@link Operator}, leader election, the
 * operations server, and a clean stop on SIGTERM.
 */
public final class CrosswindOperator implements AutoCloseable {

  /** The system property the log4j2 configuration reads to pick the format. */
  static final String LOG_FORMAT_PROPERTY = "crosswind.log.format";

  static final String LOG_LEVEL_PROPERTY = "crosswind.log.level";

  private final OperatorConfig config;
  private final Operator operator;
  private final OperatorOpsServer ops;
  private final ModelEndpointReconciler endpoints;
  private final Logger log = LoggerFactory.getLogger(CrosswindOperator.class);

  private final AtomicBoolean stopping;

  private CrosswindOperator(
      OperatorConfig config,
      Operator operator,
      OperatorOpsServer ops,
      ModelEndpointReconciler endpoints,
      AtomicBoolean stopping) {
    this.config = config;
    this.operator = operator;
    this.ops = ops;
    this.endpoints = endpoints;
    this.stopping = stopping;
  }

  /** The cloud providers, reaching the clouds (or the endpoints the flags name). */
  static CloudProviders cloudProviders(OperatorConfig config) {
    CloudTrust trust = CloudTrust.load(config.cloudCaFile);
    java.net.http.HttpClient dataPlane =
        java.net.http.HttpClient.newBuilder()
            .sslContext(trust.sslContext())
            .connectTimeout(java.time.Duration.ofSeconds(5))
            .build();
    AzureSettings azure =
        new AzureSettings(
            blankToNull(config.azureSubscriptionId),
            blankToNull(config.azureAuthorityHost),
            blankToNull(config.azureResourceManagerEndpoint),
            new JdkHttpClientBuilder(
                    java.net.http.HttpClient.newBuilder().sslContext(trust.sslContext()))
                .build(),
            dataPlane,
            config.credentialGrace,
            Clock.systemUTC(),
            blankToNull(config.azureTenantId),
            blankToNull(config.azureFederatedTokenFile) == null
                ? null
                : java.nio.file.Path.of(config.azureFederatedTokenFile));
    BedrockSettings bedrock =
        BedrockSettings.forOperator(
            blankToNull(config.awsRoleArn),
            blankToNull(config.awsBedrockEndpoint),
            blankToNull(config.awsBedrockRuntimeEndpoint),
            blankToNull(config.awsBedrockMantleEndpoint),
            blankToNull(config.awsStsEndpoint),
            new javax.net.ssl.TrustManager[] {trust.trustManager()});
    ManagementPacer pacer = new ManagementPacer(config.managementBudget);
    return new CloudProviders(
        List.of(new AzureTargetProvider(azure, pacer), new BedrockTargetProvider(bedrock, pacer)));
  }

  static EndpointSettings endpointSettings(OperatorConfig config) {
    return new EndpointSettings(
        config.clusterId,
        config.operatorNamespace,
        config.gatewayService,
        config.clusterDomain,
        new TargetProber.Settings(config.probeInterval, java.time.Duration.ofSeconds(5), 3, 2),
        config.endpointKeyOverlap,
        config.resyncInterval,
        config.routeTableNamespace);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  public static void main(String[] args) throws Exception {
    OperatorConfig config = new OperatorConfig();
    CommandLine cli = new CommandLine(config);
    try {
      CommandLine.ParseResult parsed = cli.parseArgs(args);
      if (CommandLine.printHelpIfRequested(parsed)) {
        return;
      }
    } catch (CommandLine.ParameterException e) {
      cli.getErr().println(e.getMessage());
      cli.usage(cli.getErr());
      System.exit(2);
    }
    // Logging reads these once, on the first logger: set them before anything logs.
    System.setProperty(LOG_FORMAT_PROPERTY, config.logFormat.name());
    System.setProperty(LOG_LEVEL_PROPERTY, config.logLevel);

    CountDownLatch stopped = new CountDownLatch(1);
    CrosswindOperator running;
    try {
      running = start(config, new KubernetesClientBuilder().build());
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(CrosswindOperator.class)
          .error("could not start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  running.close();
                  stopped.countDown();
                },
                "crosswind-shutdown"));
    stopped.await();
  }

  /** Starts the controllers and the operations server against the given cluster. */
  public static CrosswindOperator start(OperatorConfig config, KubernetesClient client)
      throws IOException {
    return start(config, client, o -> {});
  }

  /**
   * As {@link #start(OperatorConfig, KubernetesClient)}, with further JOSDK settings on top (a test
   * that keeps its client open after the operator stops, say).
   */
  public static CrosswindOperator start(
      OperatorConfig config,
      KubernetesClient client,
      Consumer<ConfigurationServiceOverrider> overrides)
      throws IOException {
    Logger log = LoggerFactory.getLogger(CrosswindOperator.class);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);

    AtomicBoolean stopping = new AtomicBoolean();
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withMetrics(
                      MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry)
                          .build())
                  .withConcurrentReconciliationThreads(config.reconcileThreads)
                  .withReconciliationTerminationTimeout(config.shutdownTimeout)
                  .withCloseClientOnStop(true);
              if (config.leaderElection) {
                o.withLeaderElectionConfiguration(leaderElection(config, stopping));
              }
              overrides.accept(o);
            });
    EventRecorder events = new EventRecorder(client, config.identity, Clock.systemUTC());
    Set<String> namespaces = watchedNamespaces(config);
    GatewayCircuits circuits = new GatewayCircuits(Clock.systemUTC());
    ModelEndpointReconciler endpoints =
        ModelEndpointReconciler.create(
            events,
            Clock.systemUTC(),
            cloudProviders(config),
            endpointSettings(config),
            new RoutingMetrics(registry),
            circuits,
            new GrantBook(blankToNull(config.azureSubscriptionId)));
    String selector = blankToNull(config.selector);
    operator.register(
        endpoints,
        c ->
            c.settingNamespaces(namespaces)
                .withLabelSelector(selector)
                .withReconciliationMaxInterval(config.resyncInterval));
    operator.register(
        new RoutingPolicyReconciler(events, Clock.systemUTC()),
        c ->
            c.settingNamespaces(namespaces)
                .withLabelSelector(selector)
                .withReconciliationMaxInterval(config.resyncInterval));

    RuntimeInfo runtime = operator.getRuntimeInfo();
    OperatorOpsServer ops =
        OperatorOpsServer.start(
            config.opsAddress,
            config.opsPort,
            () -> liveness(runtime),
            () -> readiness(runtime),
            registry);
    log.info(
        "starting: watching {}{}, operator namespace {}, leader election {}, ops port {}",
        namespaces.isEmpty() ? "all namespaces" : String.join(",", namespaces),
        selector == null ? "" : " (objects matching " + selector + ")",
        config.operatorNamespace,
        config.leaderElection ? "on (lease " + config.leaderElectionLease + ")" : "off",
        ops.port());
    try {
      operator.start();
      circuits.start(client, config.operatorNamespace);
    } catch (RuntimeException e) {
      // The operations server's thread would keep the JVM alive, live and not ready, forever:
      // stop it so the process exits and Kubernetes restarts it with backoff.
      ops.close();
      endpoints.close();
      throw e;
    }
    return new CrosswindOperator(config, operator, ops, endpoints, stopping);
  }

  /**
   * Leader election through a Lease. A replica that loses the lease while running exits, so that
   * two replicas never reconcile at once (JOSDK's own behaviour); one that gives the lease up
   * because it is stopping just stops, so SIGTERM ends the process cleanly with status 0.
   */
  static LeaderElectionConfiguration leaderElection(OperatorConfig config, AtomicBoolean stopping) {
    Logger log = LoggerFactory.getLogger(CrosswindOperator.class);
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> log.info("{} leads; reconciling", config.identity),
            () -> {
              if (!stopping.get()) {
                log.error("{} lost the leader lease while running; exiting", config.identity);
                new Thread(() -> System.exit(1), "crosswind-lost-lease").start();
              }
            },
            leader -> log.info("leader is {}", leader));
    return new LeaderElectionConfiguration(
        config.leaderElectionLease,
        config.operatorNamespace,
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        config.identity,
        callbacks,
        false);
  }

  static Set<String> watchedNamespaces(OperatorConfig config) {
    if (config.watchNamespaces == null) {
      return Set.of();
    }
    return config.watchNamespaces.stream()
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Live unless an informer has stopped: a restart is what helps then. Before the operator has
   * started (or while a standby replica waits for the lease) it is live and not ready.
   */
  static OperatorOpsServer.Health liveness(RuntimeInfo runtime) {
    if (!runtime.isStarted()) {
      return new OperatorOpsServer.Health(true, "starting");
    }
    List<String> broken =
        runtime.unhealthyInformerWrappingEventSourceHealthIndicator().entrySet().stream()
            .filter(e -> !e.getValue().isEmpty())
            .map(e -> e.getKey() + " " + e.getValue().keySet())
            .sorted()
            .toList();
    return broken.isEmpty()
        ? new OperatorOpsServer.Health(true, "no informer has stopped")
        : new OperatorOpsServer.Health(
            false, "informers not healthy: " + String.join(", ", broken));
  }

  static OperatorOpsServer.Health readiness(RuntimeInfo runtime) {
    if (!runtime.isStarted()) {
      return new OperatorOpsServer.Health(false, "operator starting");
    }
    return liveness(runtime);
  }

  public int opsPort() {
    return ops.port();
  }

  public Operator operator() {
    return operator;
  }

  @Override
  public void close() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    log.info("stopping (waiting up to {} for running reconciles)", config.shutdownTimeout);
    try {
      operator.stop();
    } finally {
      endpoints.close();
      ops.close();
    }
    log.info("stopped");
  }
}
