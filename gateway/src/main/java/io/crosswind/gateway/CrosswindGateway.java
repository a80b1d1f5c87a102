package io.crosswind.gateway;

import io.crosswind.gateway.api.Admission;
import io.crosswind.gateway.api.GatewayApi;
import io.crosswind.gateway.api.IdleConnections;
import io.crosswind.gateway.endpoints.DirectoryRouteSource;
import io.crosswind.gateway.endpoints.EndpointDirectory;
import io.crosswind.gateway.endpoints.RouteTableSource;
import io.crosswind.gateway.endpoints.SecretRouteSource;
import io.crosswind.gateway.ops.AccessLog;
import io.crosswind.gateway.ops.CircuitReporter;
import io.crosswind.gateway.ops.GatewayMetrics;
import io.crosswind.gateway.ops.GatewayOpsServer;
import io.crosswind.gateway.routing.CircuitBreakers;
import io.crosswind.gateway.upstream.CircuitChecks;
import io.crosswind.gateway.upstream.Forwarder;
import io.crosswind.gateway.upstream.ForwardingSettings;
import io.crosswind.gateway.upstream.UpstreamTrust;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.TrustOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The gateway process: the API on its event loops, the operations server, the route-table source,
 * and a drain on SIGTERM (readiness off, requests in flight finish, then stop).
 */
public final class CrosswindGateway implements AutoCloseable {

  static final String LOG_FORMAT_PROPERTY = "crosswind.log.format";
  static final String LOG_LEVEL_PROPERTY = "crosswind.log.level";

  // Not a static field: main sets the log format before the first logger configures logging.
  private static Logger log() {
    return LoggerFactory.getLogger(CrosswindGateway.class);
  }

  private final GatewayConfig config;
  private final Vertx vertx;
  private final RouteTableSource source;
  private final CircuitReporter reporter;
  private final KubernetesClient kubernetes;
  private final GatewayApi api;
  private final EndpointDirectory directory;
  private final PrometheusMeterRegistry registry;
  private final AtomicBoolean draining;
  private final HttpServer ops;
  private final int port;

  private CrosswindGateway(
      GatewayConfig config,
      Vertx vertx,
      RouteTableSource source,
      CircuitReporter reporter,
      KubernetesClient kubernetes,
      GatewayApi api,
      EndpointDirectory directory,
      PrometheusMeterRegistry registry,
      AtomicBoolean draining,
      HttpServer ops,
      int port) {
    this.config = config;
    this.vertx = vertx;
    this.source = source;
    this.reporter = reporter;
    this.kubernetes = kubernetes;
    this.api = api;
    this.directory = directory;
    this.registry = registry;
    this.draining = draining;
    this.ops = ops;
    this.port = port;
  }

  public static void main(String[] args) throws InterruptedException {
    GatewayConfig config = new GatewayConfig();
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
    CrosswindGateway running;
    try {
      running = start(config);
    } catch (RuntimeException e) {
      log().error("could not start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  running.drain();
                  stopped.countDown();
                },
                "crosswind-gateway-drain"));
    stopped.await();
  }

  /** Starts with the route tables of {@code --routes-dir}, or else of the cluster's Secrets. */
  public static CrosswindGateway start(GatewayConfig config) {
    return start(config, config.routesDir == null ? new KubernetesClientBuilder().build() : null);
  }

  /**
   * Starts; route tables come from {@code --routes-dir} when set, else from Secrets through this
   * client (closed with the gateway).
   */
  public static CrosswindGateway start(GatewayConfig config, KubernetesClient kubernetes) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    GatewayMetrics metrics = new GatewayMetrics(registry);

    int loops =
        config.eventLoops > 0 ? config.eventLoops : 2 * Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setWorkerPoolSize(4));
    EndpointDirectory directory = new EndpointDirectory();
    RouteTableSource source =
        config.routesDir != null
            ? new DirectoryRouteSource(config.routesDir, directory)
            : new SecretRouteSource(kubernetes, config.routesNamespace(), directory);
    CircuitReporter reporter = null;
    try {
      source.start();
      Clock clock = Clock.systemUTC();
      AtomicReference<CircuitBreakers> made = new AtomicReference<>();
      CircuitBreakers breakers =
          new CircuitBreakers(
              config.breakerFailures,
              config.breakerCoolDown,
              clock,
              (endpoint, target) ->
                  metrics.circuit(endpoint, target, () -> made.get().open(endpoint, target)));
      made.set(breakers);
      if (config.routesDir == null && config.reportCircuits) {
        reporter =
            new CircuitReporter(
                kubernetes,
                config.namespace,
                config.replicaName,
                config.podUid,
                breakers::openCircuits,
                Duration.ofSeconds(1));
        breakers.onChange(reporter::changed);
      }
      HttpClient upstream = upstreamClient(vertx, config);
      if (!config.breakerCheckInterval.isZero()) {
        new CircuitChecks(
                vertx,
                upstream,
                breakers,
                directory::byId,
                metrics,
                config.breakerCheckInterval,
                config.firstByteTimeout.compareTo(CHECK_TIMEOUT) < 0
                    ? config.firstByteTimeout
                    : CHECK_TIMEOUT)
            .start();
      }
      Forwarder forwarder =
          new Forwarder(
              vertx,
              upstream,
              new ForwardingSettings(
                  config.maxAttempts,
                  config.connectTimeout,
                  config.firstByteTimeout,
                  config.deadline,
                  config.maxRetryAfter,
                  config.streamIdleTimeout),
              breakers,
              metrics,
              clock);
      AtomicBoolean draining = new AtomicBoolean();
      GatewayApi api =
          new GatewayApi(
              directory,
              forwarder,
              breakers,
              metrics,
              new AccessLog(),
              new GatewayApi.Settings(
                  config.maxBodyBytes,
                  config.sessionHeader == null || config.sessionHeader.isBlank()
                      ? null
                      : config.sessionHeader,
                  new Admission.Limits(
                      config.maxInFlight, config.maxInFlightPerEndpoint, config.maxBufferedBytes)),
              clock,
              draining::get);
      metrics.gauges(api::inFlight, directory::size);
      metrics.budget(api.admission());
      AtomicInteger boundPort = new AtomicInteger(config.port);
      HttpServerOptions serverOptions =
          new HttpServerOptions()
              .setHost(config.address)
              .setPort(config.port)
              .setTcpNoDelay(true)
              .setHandle100ContinueAutomatically(true)
              .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, silenceBound(config).toSeconds()))
              .setIdleTimeoutUnit(TimeUnit.SECONDS);
      // Every event loop must listen on the same port. For port 0 one is picked first; an
      // outgoing connection may take it before the loops bind it, so a few picks are allowed.
      for (int pick = 1; ; pick++) {
        if (config.port == 0) {
          HttpServer probe =
              await(vertx.createHttpServer(serverOptions).requestHandler(r -> {}).listen());
          boundPort.set(probe.actualPort());
          await(probe.close());
          serverOptions.setPort(boundPort.get());
        }
        try {
          await(
              vertx.deployVerticle(
                  () -> new ApiVerticle(api, serverOptions, config.clientIdleTimeout),
                  new DeploymentOptions().setInstances(loops)));
          break;
        } catch (IllegalStateException e) {
          if (config.port != 0 || pick == 5 || !(e.getCause() instanceof java.net.BindException)) {
            throw e;
          }
          log().info("port {} was taken before the gateway bound it; picking another", boundPort);
          serverOptions.setPort(0);
        }
      }
      HttpServer ops =
          await(
              GatewayOpsServer.start(
                  vertx,
                  config.opsAddress,
                  config.opsPort,
                  () -> source.synced() && !draining.get(),
                  () ->
                      draining.get()
                          ? "draining"
                          : source.synced()
                              ? directory.size() + " endpoints"
                              : "route tables not read yet",
                  registry));
      log()
          .info(
              "gateway serving on {}:{} (ops on {}:{}), route tables from {}",
              config.address,
              boundPort.get(),
              config.opsAddress,
              ops.actualPort(),
              config.routesDir != null
                  ? config.routesDir
                  : "Secrets in " + config.routesNamespace());
      return new CrosswindGateway(
          config,
          vertx,
          source,
          reporter,
          kubernetes,
          api,
          directory,
          registry,
          draining,
          ops,
          boundPort.get());
    } catch (RuntimeException e) {
      release(reporter, source, vertx, kubernetes);
      throw e;
    }
  }

  /** The longest an active check of an open circuit may take. */
  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

  static HttpClient upstreamClient(Vertx vertx, GatewayConfig config) {
    HttpClientOptions options =
        new HttpClientOptions()
            .setKeepAlive(true)
            .setKeepAliveTimeout(60)
            .setTcpNoDelay(true)
            .setVerifyHost(true)
            .setConnectTimeout((int) config.connectTimeout.toMillis())
            .setDecompressionSupported(false);
    if (config.upstreamCaFile != null) {
      options.setTrustOptions(TrustOptions.wrap(UpstreamTrust.withExtraCas(config.upstreamCaFile)));
    }
    return vertx.createHttpClient(
        options,
        new PoolOptions()
            .setHttp1MaxSize(config.upstreamPoolSize)
            // Bounded: a request that finds the queue full fails over instead of waiting.
            .setMaxWaitQueueSize(config.upstreamPoolSize * 4));
  }

  /**
   * The longest a client connection may be silent with a request in flight: the wait for a
   * non-streamed answer (the deadline) or a pause of a stream, and some slack. Past it the
   * connection is dead, whatever the request; a connection without a request in flight closes after
   * {@code --client-idle-timeout} ({@link IdleConnections}).
   */
  static Duration silenceBound(GatewayConfig config) {
    Duration longest =
        config.deadline.compareTo(config.streamIdleTimeout) >= 0
            ? config.deadline
            : config.streamIdleTimeout;
    return longest.plusSeconds(30);
  }

  /** Serves the API on one event loop; the gateway deploys one per loop, on one port. */
  private static final class ApiVerticle extends AbstractVerticle {
    private final GatewayApi api;
    private final HttpServerOptions options;
    private final Duration clientIdle;

    ApiVerticle(GatewayApi api, HttpServerOptions options, Duration clientIdle) {
      this.api = api;
      this.options = options;
      this.clientIdle = clientIdle;
    }

    @Override
    public void start(Promise<Void> started) {
      IdleConnections idle = new IdleConnections(vertx, clientIdle);
      io.vertx.ext.web.Router router = api.router(vertx);
      router.route().order(-1).handler(idle::track);
      vertx
          .createHttpServer(options)
          .connectionHandler(idle::opened)
          .requestHandler(router)
          .listen()
          .<Void>mapEmpty()
          .onComplete(started);
    }
  }

  /** The API's port. */
  public int port() {
    return port;
  }

  public int opsPort() {
    return ops.actualPort();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public EndpointDirectory endpoints() {
    return directory;
  }

  public boolean ready() {
    return source.synced() && !draining.get();
  }

  /**
   * Stops as Kubernetes expects on SIGTERM: /readyz turns 503 and answers say {@code Connection:
   * close}; requests keep being taken for the drain grace, requests in flight get up to the drain
   * timeout to finish; then everything closes.
   */
  public void drain() {
    draining.set(true);
    log().info("draining: {} requests in flight", api.inFlight());
    long graceEnd = System.nanoTime() + config.drainGrace.toNanos();
    long end =
        System.nanoTime() + Math.max(config.drainTimeout.toNanos(), config.drainGrace.toNanos());
    while (System.nanoTime() < end && (System.nanoTime() < graceEnd || api.inFlight() > 0)) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (api.inFlight() > 0) {
      log().warn("stopping with {} requests still in flight", api.inFlight());
    }
    close();
  }

  @Override
  public void close() {
    draining.set(true);
    release(reporter, source, vertx, kubernetes);
    log().info("gateway stopped");
  }

  /** Closes what start-up opened, in order; the reporter and the client may be null. */
  private static void release(
      CircuitReporter reporter, RouteTableSource source, Vertx vertx, KubernetesClient kubernetes) {
    if (reporter != null) {
      reporter.close();
    }
    source.close();
    await(vertx.close());
    if (kubernetes != null) {
      kubernetes.close();
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("gateway start-up: " + cause.getMessage(), cause);
    }
  }
}
