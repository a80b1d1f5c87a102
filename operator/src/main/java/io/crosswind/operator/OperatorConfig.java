package io.crosswind.operator;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The operator's configuration: every option is a flag and an environment variable (the flag wins).
 * {@code docs/configuration.md} lists them; a test keeps that page in step with this class.
 */
@Command(
    name = "crosswind-operator",
    mixinStandardHelpOptions = true,
    versionProvider = OperatorConfig.Version.class,
    description = "Reconciles crosswind.io ModelEndpoints and RoutingPolicies.",
    sortOptions = false)
public class OperatorConfig {

  @Option(
      names = "--watch-namespaces",
      split = ",",
      defaultValue = "${env:CROSSWIND_WATCH_NAMESPACES}",
      description =
          "Namespaces to watch, comma-separated; empty watches all namespaces."
              + " Env: CROSSWIND_WATCH_NAMESPACES.")
  List<String> watchNamespaces = List.of();

  @Option(
      names = "--selector",
      defaultValue = "${env:CROSSWIND_SELECTOR:-}",
      converter = LabelSelectorConverter.class,
      description =
          "A label selector, as kubectl writes one (crosswind.io/shard=b, or"
              + " crosswind.io/shard notin (b,c)): only ModelEndpoints and RoutingPolicies whose"
              + " labels match are reconciled. With --leader-election-lease, it makes this"
              + " operator one shard of several. Env: CROSSWIND_SELECTOR; default: every object.")
  String selector;

  @Option(
      names = "--operator-namespace",
      defaultValue = "${env:CROSSWIND_OPERATOR_NAMESPACE:-${env:POD_NAMESPACE:-crosswind-system}}",
      description =
          "The namespace the operator runs in: its leader-election lease and the gateway's route"
              + " tables live there. Env: CROSSWIND_OPERATOR_NAMESPACE, else POD_NAMESPACE;"
              + " default: ${DEFAULT-VALUE}.")
  String operatorNamespace;

  @Option(
      names = "--route-table-namespace",
      defaultValue = "${env:CROSSWIND_ROUTE_TABLE_NAMESPACE:-}",
      description =
          "Where the route tables for the gateway live: a namespace of their own, so that the"
              + " gateway may read them and no other Secret. Tables found in the operator"
              + " namespace move there. Env: CROSSWIND_ROUTE_TABLE_NAMESPACE; default: the"
              + " operator namespace.")
  String routeTableNamespace;

  @Option(
      names = "--cluster-id",
      defaultValue = "${env:CROSSWIND_CLUSTER_ID:-default}",
      description =
          "A name for this cluster, unique among the clusters that share cloud accounts; it goes"
              + " into the ownership tag of every cloud resource. Env: CROSSWIND_CLUSTER_ID;"
              + " default: ${DEFAULT-VALUE}.")
  String clusterId;

  @Option(
      names = "--leader-election",
      negatable = true,
      defaultValue = "${env:CROSSWIND_LEADER_ELECTION:-true}",
      fallbackValue = "true",
      description =
          "Elect one active replica through a Lease; turn off only for a single replica."
              + " Env: CROSSWIND_LEADER_ELECTION; default: ${DEFAULT-VALUE}.")
  boolean leaderElection;

  @Option(
      names = "--leader-election-lease",
      defaultValue = "${env:CROSSWIND_LEADER_ELECTION_LEASE:-crosswind-operator}",
      description =
          "The name of the leader-election Lease in the operator namespace."
              + " Env: CROSSWIND_LEADER_ELECTION_LEASE; default: ${DEFAULT-VALUE}.")
  String leaderElectionLease;

  @Option(
      names = "--identity",
      defaultValue =
          "${env:CROSSWIND_IDENTITY:-${env:POD_NAME:-${env:HOSTNAME:-crosswind-operator}}}",
      description =
          "This replica's name in the Lease and in events. Env: CROSSWIND_IDENTITY, else"
              + " POD_NAME, else HOSTNAME.")
  String identity;

  @Option(
      names = "--ops-address",
      defaultValue = "${env:CROSSWIND_OPS_ADDRESS:-0.0.0.0}",
      description =
          "The address of the /healthz, /readyz and /metrics server."
              + " Env: CROSSWIND_OPS_ADDRESS; default: ${DEFAULT-VALUE}.")
  String opsAddress;

  @Option(
      names = "--ops-port",
      defaultValue = "${env:CROSSWIND_OPS_PORT:-8080}",
      description =
          "The port of the /healthz, /readyz and /metrics server; 0 picks a free one."
              + " Env: CROSSWIND_OPS_PORT; default: ${DEFAULT-VALUE}.")
  int opsPort;

  @Option(
      names = "--resync-interval",
      defaultValue = "${env:CROSSWIND_RESYNC_INTERVAL:-10m}",
      converter = DurationConverter.class,
      description =
          "The longest time between two reconciles of a resource when nothing changes (a safety"
              + " net). Env: CROSSWIND_RESYNC_INTERVAL; default: ${DEFAULT-VALUE}.")
  Duration resyncInterval;

  @Option(
      names = "--management-budget",
      defaultValue = "${env:CROSSWIND_MANAGEMENT_BUDGET:-0.8}",
      description =
          "The share of each published management limit of the clouds (ARM's buckets per"
              + " subscription and principal, Bedrock's and STS's request rates per account and"
              + " region) the operator allows itself, from 0 to 1; 0 turns pacing off. Lower it"
              + " when other tools share the subscription or account. Env:"
              + " CROSSWIND_MANAGEMENT_BUDGET; default: ${DEFAULT-VALUE}.")
  double managementBudget;

  @Option(
      names = "--reconcile-threads",
      defaultValue = "${env:CROSSWIND_RECONCILE_THREADS:-10}",
      description =
          "Reconciles that may run at once. Env: CROSSWIND_RECONCILE_THREADS;"
              + " default: ${DEFAULT-VALUE}.")
  int reconcileThreads;

  @Option(
      names = "--shutdown-timeout",
      defaultValue = "${env:CROSSWIND_SHUTDOWN_TIMEOUT:-30s}",
      converter = DurationConverter.class,
      description =
          "How long running reconciles may take to finish on shutdown."
              + " Env: CROSSWIND_SHUTDOWN_TIMEOUT; default: ${DEFAULT-VALUE}.")
  Duration shutdownTimeout;

  @Option(
      names = "--gateway-service",
      defaultValue = "${env:CROSSWIND_GATEWAY_SERVICE:-crosswind-gateway}",
      description =
          "The gateway's Service in the operator namespace; every endpoint's Service leads to it."
              + " Env: CROSSWIND_GATEWAY_SERVICE; default: ${DEFAULT-VALUE}.")
  String gatewayService;

  @Option(
      names = "--cluster-domain",
      defaultValue = "${env:CROSSWIND_CLUSTER_DOMAIN:-cluster.local}",
      description =
          "The cluster's DNS domain, for the URLs in endpoint Secrets."
              + " Env: CROSSWIND_CLUSTER_DOMAIN; default: ${DEFAULT-VALUE}.")
  String clusterDomain;

  @Option(
      names = "--azure-subscription-id",
      defaultValue = "${env:AZURE_SUBSCRIPTION_ID}",
      description = "The Azure subscription of targets that name none. Env: AZURE_SUBSCRIPTION_ID.")
  String azureSubscriptionId;

  @Option(
      names = "--azure-authority-host",
      defaultValue = "${env:AZURE_AUTHORITY_HOST}",
      description =
          "The Entra ID authority host, for sovereign clouds; empty for the public cloud."
              + " Env: AZURE_AUTHORITY_HOST.")
  String azureAuthorityHost;

  @Option(
      names = "--azure-resource-manager-endpoint",
      defaultValue = "${env:CROSSWIND_AZURE_RESOURCE_MANAGER_ENDPOINT}",
      description =
          "The Azure Resource Manager endpoint, for sovereign clouds; empty for the public"
              + " cloud. Env: CROSSWIND_AZURE_RESOURCE_MANAGER_ENDPOINT.")
  String azureResourceManagerEndpoint;

  @Option(
      names = "--azure-tenant-id",
      defaultValue = "${env:AZURE_TENANT_ID}",
      description =
          "The Entra ID tenant of CloudGrant workload identities that name none."
              + " Env: AZURE_TENANT_ID.")
  String azureTenantId;

  @Option(
      names = "--azure-federated-token-file",
      defaultValue = "${env:AZURE_FEDERATED_TOKEN_FILE}",
      description =
          "The operator's projected ServiceAccount token (audience api://AzureADTokenExchange),"
              + " which it presents when it signs in as a CloudGrant's workload identity; read"
              + " again for every sign-in, so the kubelet may rotate it."
              + " Env: AZURE_FEDERATED_TOKEN_FILE.")
  String azureFederatedTokenFile;

  @Option(
      names = "--aws-role-arn",
      defaultValue = "${env:CROSSWIND_AWS_ROLE_ARN}",
      description =
          "The IAM role the operator assumes for Bedrock targets that name none (bedrock.roleArn);"
              + " it mints their scoped API keys. Without either, such a target reports"
              + " RoleRequired. Env: CROSSWIND_AWS_ROLE_ARN.")
  String awsRoleArn;

  @Option(
      names = "--aws-bedrock-endpoint",
      defaultValue = "${env:CROSSWIND_AWS_BEDROCK_ENDPOINT}",
      description =
          "The Bedrock control-plane endpoint, with {region} where the region goes; empty for"
              + " AWS's own. Env: CROSSWIND_AWS_BEDROCK_ENDPOINT.")
  String awsBedrockEndpoint;

  @Option(
      names = "--aws-bedrock-runtime-endpoint",
      defaultValue = "${env:CROSSWIND_AWS_BEDROCK_RUNTIME_ENDPOINT}",
      description =
          "The Bedrock runtime endpoint, with {region} where the region goes; empty for AWS's"
              + " own. Env: CROSSWIND_AWS_BEDROCK_RUNTIME_ENDPOINT.")
  String awsBedrockRuntimeEndpoint;

  @Option(
      names = "--aws-bedrock-mantle-endpoint",
      defaultValue = "${env:CROSSWIND_AWS_BEDROCK_MANTLE_ENDPOINT}",
      description =
          "Bedrock's mantle endpoint (OpenAI-compatible APIs of targets with openAiEndpoint:"
              + " Mantle), with {region} where the region goes; empty for AWS's own. Env:"
              + " CROSSWIND_AWS_BEDROCK_MANTLE_ENDPOINT.")
  String awsBedrockMantleEndpoint;

  @Option(
      names = "--aws-sts-endpoint",
      defaultValue = "${env:CROSSWIND_AWS_STS_ENDPOINT}",
      description =
          "The STS endpoint, with {region} where the region goes; empty for AWS's regional"
              + " endpoints. Env: CROSSWIND_AWS_STS_ENDPOINT.")
  String awsStsEndpoint;

  @Option(
      names = "--cloud-ca-file",
      defaultValue = "${env:CROSSWIND_CLOUD_CA_FILE}",
      description =
          "A PEM file of CA certificates to trust for the cloud APIs besides the JDK's own, for a"
              + " TLS-inspecting proxy. Env: CROSSWIND_CLOUD_CA_FILE.")
  String cloudCaFile;

  @Option(
      names = "--probe-interval",
      defaultValue = "${env:CROSSWIND_PROBE_INTERVAL:-30s}",
      converter = DurationConverter.class,
      description =
          "How often each ready target is probed when its RoutingPolicy sets no interval; 0s"
              + " turns probing off (health stays Unknown). Env: CROSSWIND_PROBE_INTERVAL;"
              + " default: ${DEFAULT-VALUE}.")
  Duration probeInterval;

  @Option(
      names = "--credential-grace",
      defaultValue = "${env:CROSSWIND_CREDENTIAL_GRACE:-30s}",
      converter = DurationConverter.class,
      description =
          "During a rotation, how long the new credential is published before the old one is"
              + " revoked, so that every reader has the new one. Env: CROSSWIND_CREDENTIAL_GRACE;"
              + " default: ${DEFAULT-VALUE}.")
  Duration credentialGrace;

  @Option(
      names = "--endpoint-key-overlap",
      defaultValue = "${env:CROSSWIND_ENDPOINT_KEY_OVERLAP:-1h}",
      converter = DurationConverter.class,
      description =
          "After a rotation of an endpoint's key, how long the gateway still accepts the previous"
              + " key, so that applications can restart onto the new Secret."
              + " Env: CROSSWIND_ENDPOINT_KEY_OVERLAP; default: ${DEFAULT-VALUE}.")
  Duration endpointKeyOverlap;

  @Option(
      names = "--log-format",
      defaultValue = "${env:CROSSWIND_LOG_FORMAT:-plain}",
      description =
          "Log as plain text or as JSON lines (Elastic Common Schema): ${COMPLETION-CANDIDATES}."
              + " Env: CROSSWIND_LOG_FORMAT; default: ${DEFAULT-VALUE}.")
  LogFormat logFormat;

  @Option(
      names = "--log-level",
      defaultValue = "${env:CROSSWIND_LOG_LEVEL:-INFO}",
      description =
          "The level of Crosswind's own loggers (ERROR, WARN, INFO, DEBUG, TRACE)."
              + " Env: CROSSWIND_LOG_LEVEL; default: ${DEFAULT-VALUE}.")
  String logLevel;

  /** Parses flags (and environment variables) the way the operator's command line does. */
  public static OperatorConfig parse(String... args) {
    OperatorConfig config = new OperatorConfig();
    new picocli.CommandLine(config).parseArgs(args);
    return config;
  }

  /** The log formats. */
  public enum LogFormat {
    plain,
    json
  }

  /** Converts Kubernetes-style durations such as 30s or 10m. */
  static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return io.crosswind.operator.routing.GoDuration.parse(value)
          .orElseThrow(
              () ->
                  new picocli.CommandLine.TypeConversionException(
                      "'" + value + "' is not a duration such as 30s, 10m or 1h"));
    }
  }

  /**
   * Checks a label selector against the grammar the API server accepts (equality, inequality,
   * set-based and existence requirements), so that a typo stops the operator at start with the flag
   * named instead of failing every list call later.
   */
  static final class LabelSelectorConverter implements picocli.CommandLine.ITypeConverter<String> {
    private static final String NAME = "[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
    private static final String PREFIX =
        "[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*";
    private static final String KEY = "(?:" + PREFIX + "/)?" + NAME;
    private static final String VALUE = "(?:" + NAME + ")?";
    private static final String REQUIREMENT =
        "\\s*(?:!\\s*"
            + KEY
            + "|"
            + KEY
            + "\\s*(?:==?|!=)\\s*"
            + VALUE
            + "|"
            + KEY
            + "\\s+(?:in|notin)\\s*\\(\\s*"
            + VALUE
            + "(?:\\s*,\\s*"
            + VALUE
            + ")*\\s*\\)|"
            + KEY
            + ")\\s*";
    private static final java.util.regex.Pattern SELECTOR =
        java.util.regex.Pattern.compile(REQUIREMENT + "(?:," + REQUIREMENT + ")*");

    @Override
    public String convert(String value) {
      if (value == null || value.isBlank()) {
        return "";
      }
      if (!SELECTOR.matcher(value).matches()) {
        throw new picocli.CommandLine.TypeConversionException(
            "'"
                + value
                + "' is not a label selector such as crosswind.io/shard=b or"
                + " crosswind.io/shard notin (b,c)");
      }
      return value.trim();
    }
  }

  /** The version from the jar manifest. */
  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = OperatorConfig.class.getPackage().getImplementationVersion();
      return new String[] {"crosswind-operator " + (version == null ? "dev" : version)};
    }
  }
}
