package io.crosswind.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The gateway's configuration: every option is a flag and an environment variable (the flag wins).
 * docs/gateway.md lists them.
 */
@Command(
    name = "crosswind-gateway",
    mixinStandardHelpOptions = true,
    versionProvider = GatewayConfig.Version.class,
    description =
        "Serves the OpenAI-compatible API of every Crosswind endpoint and forwards each request to"
            + " Azure OpenAI or AWS Bedrock, failing over per request.",
    sortOptions = false)
public class GatewayConfig {

  /** How log lines are written. */
  public enum LogFormat {
    text,
    json
  }

  @Option(
      names = "--address",
      defaultValue = "${env:CROSSWIND_GATEWAY_ADDRESS:-0.0.0.0}",
      description =
          "The address of the API. Env: CROSSWIND_GATEWAY_ADDRESS; default: ${DEFAULT-VALUE}.")
  String address;

  @Option(
      names = "--port",
      defaultValue = "${env:CROSSWIND_GATEWAY_PORT:-8080}",
      description =
          "The port of the API (plain HTTP); 0 picks a free one. Env: CROSSWIND_GATEWAY_PORT;"
              + " default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--ops-address",
      defaultValue = "${env:CROSSWIND_OPS_ADDRESS:-0.0.0.0}",
      description =
          "The address of /healthz, /readyz and /metrics. Env: CROSSWIND_OPS_ADDRESS;"
              + " default: ${DEFAULT-VALUE}.")
  String opsAddress;

  @Option(
      names = "--ops-port",
      defaultValue = "${env:CROSSWIND_OPS_PORT:-8081}",
      description =
          "The port of /healthz, /readyz and /metrics; 0 picks a free one. Env: CROSSWIND_OPS_PORT;"
              + " default: ${DEFAULT-VALUE}.")
  int opsPort;

  @Option(
      names = "--namespace",
      defaultValue = "${env:CROSSWIND_GATEWAY_NAMESPACE:-${env:POD_NAMESPACE:-crosswind-system}}",
      description =
          "The gateway's own namespace, where its circuit reports go (the operator namespace);"
              + " also where the route tables are without --routes-namespace. Env:"
              + " CROSSWIND_GATEWAY_NAMESPACE, else POD_NAMESPACE; default: ${DEFAULT-VALUE}.")
  String namespace;

  @Option(
      names = "--routes-namespace",
      defaultValue = "${env:CROSSWIND_ROUTES_NAMESPACE:-}",
      description =
          "Where the operator's route-table Secrets are (its --route-table-namespace), when"
              + " not --namespace. Env: CROSSWIND_ROUTES_NAMESPACE.")
  String routesNamespace;

  /** Where the route-table Secrets are read. */
  String routesNamespace() {
    return routesNamespace == null || routesNamespace.isBlank() ? namespace : routesNamespace;
  }

  @Option(
      names = "--routes-dir",
      defaultValue = "${env:CROSSWIND_ROUTES_DIR}",
      description =
          "Read route tables from the *.json files of this directory instead of Secrets (local"
              + " runs, tests); watched for changes. Env: CROSSWIND_ROUTES_DIR.")
  Path routesDir;

  @Option(
      names = "--max-body-bytes",
      defaultValue = "${env:CROSSWIND_MAX_BODY_BYTES:-8388608}",
      description =
          "The largest request body; a larger one is refused with 413. Env:"
              + " CROSSWIND_MAX_BODY_BYTES; default: ${DEFAULT-VALUE} (8 MiB).")
  long maxBodyBytes;

  @Option(
      names = "--max-in-flight",
      defaultValue = "${env:CROSSWIND_MAX_IN_FLIGHT:-4096}",
      description =
          "Requests in flight per replica; beyond it 503 with Retry-After. Env:"
              + " CROSSWIND_MAX_IN_FLIGHT; default: ${DEFAULT-VALUE}.")
  int maxInFlight;

  @Option(
      names = "--max-in-flight-per-endpoint",
      defaultValue = "${env:CROSSWIND_MAX_IN_FLIGHT_PER_ENDPOINT:-1024}",
      description =
          "Requests in flight per endpoint and replica, so that one team's burst cannot take the"
              + " replica from the others; beyond it 429 with Retry-After. Env:"
              + " CROSSWIND_MAX_IN_FLIGHT_PER_ENDPOINT; default: ${DEFAULT-VALUE}.")
  int maxInFlightPerEndpoint;

  @Option(
      names = "--max-buffered-bytes",
      defaultValue = "${env:CROSSWIND_MAX_BUFFERED_BYTES:-268435456}",
      description =
          "Bytes of request bodies held at once per replica (each request counts its declared"
              + " length, else --max-body-bytes); beyond it 503 with Retry-After. Size the heap"
              + " for it. Env: CROSSWIND_MAX_BUFFERED_BYTES; default: ${DEFAULT-VALUE}.")
  long maxBufferedBytes;

  @Option(
      names = "--max-attempts",
      defaultValue = "${env:CROSSWIND_MAX_ATTEMPTS:-3}",
      description =
          "Attempts per request across targets, before the answer starts. Env:"
              + " CROSSWIND_MAX_ATTEMPTS; default: ${DEFAULT-VALUE}.")
  int maxAttempts;

  @Option(
      names = "--connect-timeout",
      converter = DurationConverter.class,
      defaultValue = "${env:CROSSWIND_CONNECT_TIMEOUT:-2s}",
      description =
          "To open a connection to an upstream. Env: CROSSWIND_CONNECT_TIMEOUT; default:"
              + " ${DEFAULT-VALUE}.")
  Duration connectTimeout;

  @Option(
      names = "--first-byte-timeout",
      converter = DurationConverter.class,
      defaultValue = "${env:CROSSWIND_FIRST_BYTE_TIMEOUT:-600s}",
      description =
          "Per attempt, from sending to the upstream's answer headers; then the next target is"
              + " tried. A non-streamed completion sends its headers only when it is complete,"
              + " which takes a reasoning model minutes (the OpenAI SDKs wait 600 s)."
              + " Env: CROSSWIND_FIRST_BYTE_TIMEOUT; default: ${DEFAULT-VALUE}.")
  Duration firstByteTimeout;

  @Option(
      names = "--deadline",
      converter = DurationConverter.class,
      defaultValue = "${env:CROSSWIND_DEADLINE:-900s}",
      description =
          "For all attempts of a request until its answer starts. Env: CROSSWIND_DEADLINE;"
              + " default: ${DEFAULT-VALUE}.")
  Duration deadline;

  @Option(
      names = "--client-idle-timeout",
      converter = DurationConverter.class,
      defaultValue = "${env:CROSSWIND_CLIENT_IDLE_TIMEOUT:-60s}",
      description =
          "How long a client connection with no request in flight stays open. A connection"
              + " waiting for an answer is never closed for being quiet: --deadline and"
              + " --stream-idle-timeout bound that wait. Env: CROSSWIND_CLIENT_IDLE_TIMEOUT;"
              + " default: ${DEFAULT-VALUE}.")
  Duration clientIdleTimeout;

  @Option(
      names = "--max-retry-after",
      converter = DurationConverter.class,
      defaultValue = "${env:CROSSWIND_MAX_RETRY_AFTER:-2s}",
      description =
          "The longest Retry-After of a 429 waited out to try the same target again, when no other"
              + " target is left. Env: CROSSWIND_MAX_RETRY_AFTER; default: ${DEFAULT-VALUE}.")
  Duration maxRetryAfter;

  @Option(
      names = "--stream-idle-timeout",
      converter = DurationConverter.class,
      defaultValue = "${env:CROSSWIND_STREAM_IDLE_TIMEOUT:-300s}",
      description =
          "The longest silence of an upstream while its answer streams. Env:"
              + " CROSSWIND_STREAM_IDLE_TIMEOUT; default: ${DEFAULT-VALUE}.")
  Duration streamIdleTimeout;

  @Option(
      names = "--breaker-failures",
      defaultValue = "${env:CROSSWIND_BREAKER_FAILURES:-5}",
      description =
          "Failed attempts in a row after which a target is skipped for the cool-down. Env:"
              + " CROSSWIND_BREAKER_FAILURES; default: ${DEFAULT-VALUE}.")
  int breakerFailures;

  @Option(
      names = "--breaker-cool-down",
      converter = DurationConverter.class,
      defaultValue = "${env:CROSSWIND_BREAKER_COOL_DOWN:-30s}",
      description =
          "How long a failing target is skipped before one request at a time may try it (half"
              + " open). Env: CROSSWIND_BREAKER_COOL_DOWN; default: ${DEFAULT-VALUE}.")
  Duration breakerCoolDown;

  @Option(
      names = "--breaker-check-interval",
      converter = DurationConverter.class,
      defaultValue = "${env:CROSSWIND_BREAKER_CHECK_INTERVAL:-1s}",
      description =
          "How often the upstream behind an open circuit is checked with a one-token request (one"
              + " check per upstream, however many endpoints share it); an answer closes the"
              + " circuit before its cool-down ends. 0 turns the checks off. Env:"
              + " CROSSWIND_BREAKER_CHECK_INTERVAL; default: ${DEFAULT-VALUE}.")
  Duration breakerCheckInterval;

  @Option(
      names = "--report-circuits",
      negatable = true,
      defaultValue = "${env:CROSSWIND_REPORT_CIRCUITS:-true}",
      fallbackValue = "true",
      description =
          "Report open circuits to the operator in a ConfigMap crosswind-gateway-circuits-<pod>"
              + " in --namespace (only when route tables come from Secrets). Env:"
              + " CROSSWIND_REPORT_CIRCUITS; default: ${DEFAULT-VALUE}.")
  boolean reportCircuits;

  @Option(
      names = "--replica-name",
      defaultValue = "${env:POD_NAME:-${env:HOSTNAME:-gateway}}",
      description =
          "This replica's name in its circuit report (the Pod's). Env: POD_NAME, else HOSTNAME;"
              + " default: ${DEFAULT-VALUE}.")
  String replicaName;

  @Option(
      names = "--pod-uid",
      defaultValue = "${env:POD_UID:-}",
      description =
          "The Pod's uid, which makes the Pod own the circuit report so it goes with the Pod."
              + " Env: POD_UID.")
  String podUid;

  @Option(
      names = "--session-header",
      defaultValue = "${env:CROSSWIND_SESSION_HEADER:-x-crosswind-session}",
      description =
          "Requests with the same value of this header stay on one target of a Weighted endpoint"
              + " while it serves; empty turns it off. Env: CROSSWIND_SESSION_HEADER; default:"
              + " ${DEFAULT-VALUE}.")
  String sessionHeader;

  @Option(
      names = "--upstream-ca-file",
      defaultValue = "${env:CROSSWIND_UPSTREAM_CA_FILE}",
      description =
          "A PEM file of CAs trusted for upstreams in addition to the JDK's (a TLS-inspecting"
              + " proxy, or the simulators' test CA). Env: CROSSWIND_UPSTREAM_CA_FILE.")
  Path upstreamCaFile;

  @Option(
      names = "--upstream-pool-size",
      defaultValue = "${env:CROSSWIND_UPSTREAM_POOL_SIZE:-256}",
      description =
          "Kept-alive connections per upstream host and event loop. Env:"
              + " CROSSWIND_UPSTREAM_POOL_SIZE; default: ${DEFAULT-VALUE}.")
  int upstreamPoolSize;

  @Option(
      names = "--event-loops",
      defaultValue = "${env:CROSSWIND_EVENT_LOOPS:-0}",
      description =
          "Event-loop threads; 0 means two per core. Env: CROSSWIND_EVENT_LOOPS; default:"
              + " ${DEFAULT-VALUE}.")
  int eventLoops;

  @Option(
      names = "--drain-grace",
      converter = DurationConverter.class,
      defaultValue = "${env:CROSSWIND_DRAIN_GRACE:-5s}",
      description =
          "On SIGTERM, how long the gateway keeps taking requests after /readyz turns 503, while"
              + " Services stop sending it traffic. Env: CROSSWIND_DRAIN_GRACE; default:"
              + " ${DEFAULT-VALUE}.")
  Duration drainGrace;

  @Option(
      names = "--drain-timeout",
      converter = DurationConverter.class,
      defaultValue = "${env:CROSSWIND_DRAIN_TIMEOUT:-30s}",
      description =
          "On SIGTERM, the longest wait for requests in flight (streams included) to finish. Env:"
              + " CROSSWIND_DRAIN_TIMEOUT; default: ${DEFAULT-VALUE}.")
  Duration drainTimeout;

  @Option(
      names = "--log-format",
      defaultValue = "${env:CROSSWIND_LOG_FORMAT:-text}",
      description = "text or json (ECS). Env: CROSSWIND_LOG_FORMAT; default: ${DEFAULT-VALUE}.")
  LogFormat logFormat;

  @Option(
      names = "--log-level",
      defaultValue = "${env:CROSSWIND_LOG_LEVEL:-INFO}",
      description =
          "The level of the gateway's own loggers (the access log is INFO). Env:"
              + " CROSSWIND_LOG_LEVEL; default: ${DEFAULT-VALUE}.")
  String logLevel;

  /** The configuration these arguments give, with the environment for what they leave out. */
  public static GatewayConfig parse(String... args) {
    GatewayConfig config = new GatewayConfig();
    new CommandLine(config).parseArgs(args);
    return config;
  }

  /** Durations as Kubernetes and Go write them: 500ms, 2s, 5m, 1h, or ISO-8601 (PT2S). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
      Matcher m = SIMPLE.matcher(value.trim());
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
      }
      try {
        return Duration.parse(value.trim());
      } catch (java.time.format.DateTimeParseException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration such as 500ms, 2s, 5m or 1h");
      }
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = GatewayConfig.class.getPackage().getImplementationVersion();
      return new String[] {"crosswind-gateway " + (version == null ? "(development)" : version)};
    }
  }
}
