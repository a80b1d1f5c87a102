package io.crosswind.simulators;

import io.crosswind.simulators.azure.ArmSimulator;
import io.crosswind.simulators.azure.AzureCatalog;
import io.crosswind.simulators.azure.AzureOpenAiSimulator;
import io.crosswind.simulators.azure.AzureState;
import io.crosswind.simulators.azure.EntraDirectory;
import io.crosswind.simulators.azure.EntraIdSimulator;
import io.crosswind.simulators.azure.EntraTokens;
import io.crosswind.simulators.bedrock.AwsIdentities;
import io.crosswind.simulators.bedrock.BedrockCatalog;
import io.crosswind.simulators.bedrock.BedrockRuntimeSimulator;
import io.crosswind.simulators.bedrock.BedrockSimulator;
import io.crosswind.simulators.bedrock.BedrockState;
import io.crosswind.simulators.bedrock.SigV4Verifier;
import io.crosswind.simulators.bedrock.StsSimulator;
import io.crosswind.simulators.core.Calls;
import io.crosswind.simulators.core.Faults;
import io.crosswind.simulators.core.ManagementLimits;
import io.crosswind.simulators.core.Service;
import io.crosswind.simulators.core.ServiceServer;
import io.crosswind.simulators.core.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The whole simulator set: every simulated cloud service on its own HTTPS loopback port, sharing
 * one test CA, one set of test credentials, the injected faults and the call counters.
 */
public final class Simulators implements AutoCloseable {

  /** How the simulators start. */
  public record Options(
      Duration operationTime, Set<String> resourceGroups, Clock clock, ManagementLimits limits) {
    public Options {
      operationTime = operationTime == null ? Duration.ofSeconds(1) : operationTime;
      resourceGroups = resourceGroups == null ? Set.of() : Set.copyOf(resourceGroups);
      clock = clock == null ? Clock.systemUTC() : clock;
      limits = limits == null ? ManagementLimits.off() : limits;
    }

    /**
     * Long-running operations take a second; no resource groups exist yet; no management limits
     * (tests of one behaviour call faster than the clouds allow; the tests of the limits and the
     * standalone simulators enforce them).
     */
    public static Options defaults() {
      return new Options(null, null, null, null);
    }

    public Options withOperationTime(Duration time) {
      return new Options(time, resourceGroups, clock, limits);
    }

    public Options withResourceGroups(Set<String> groups) {
      return new Options(operationTime, groups, clock, limits);
    }

    /** The management limits to enforce: published, scaled down for a test, or off. */
    public Options withLimits(ManagementLimits limits) {
      return new Options(operationTime, resourceGroups, clock, limits);
    }
  }

  private final Vertx vertx;
  private final TestCertificates certificates;
  private final TestCredentials credentials;
  private final Faults faults = new Faults();
  private final Calls calls = new Calls();
  private final ManagementLimits limits;
  private final Map<Service, ServiceServer> servers = new EnumMap<>(Service.class);
  private final AzureState azure = new AzureState();
  private final EntraDirectory directory;
  private final AwsIdentities awsIdentities;
  private final BedrockState bedrock;

  private Simulators(Options options) {
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
    this.certificates = TestCertificates.generate();
    this.limits = options.limits();
    this.credentials = newCredentials();
    options.resourceGroups().forEach(this::createResourceGroup);
    Clock clock = options.clock();
    EntraTokens tokens = new EntraTokens();
    this.directory = new EntraDirectory(credentials);
    add(new EntraIdSimulator(faults, calls, clock, credentials, tokens, directory));
    add(new AzureOpenAiSimulator(faults, calls, clock, azure, tokens));
    add(
        new ArmSimulator(
            faults,
            calls,
            clock,
            credentials,
            tokens,
            directory,
            azure,
            AzureCatalog.standard(),
            options.operationTime(),
            () -> endpoint(Service.AZURE_OPENAI)));
    this.awsIdentities = new AwsIdentities(credentials);
    this.bedrock = new BedrockState(BedrockCatalog.standard(), credentials.awsAccountId());
    SigV4Verifier sigV4 = new SigV4Verifier(awsIdentities, clock);
    add(new StsSimulator(faults, calls, clock, awsIdentities, sigV4));
    add(new BedrockSimulator(faults, calls, clock, bedrock, sigV4, options.operationTime()));
    add(new BedrockRuntimeSimulator(faults, calls, clock, bedrock, sigV4));
    add(new BedrockRuntimeSimulator(faults, calls, clock, bedrock, sigV4, true));
  }

  /** Starts every simulated service on a free loopback port. */
  public static Simulators start(Options options) {
    Simulators simulators = new Simulators(options);
    try {
      simulators.servers.values().forEach(ServiceServer::listen);
    } catch (RuntimeException e) {
      simulators.close();
      throw e;
    }
    return simulators;
  }

  public static Simulators start() {
    return start(Options.defaults());
  }

  private void add(io.crosswind.simulators.core.SimulatedService service) {
    service.limits(limits);
    servers.put(service.service(), new ServiceServer(vertx, certificates, service));
  }

  private static TestCredentials newCredentials() {
    SecureRandom random = new SecureRandom();
    byte[] secret = new byte[24];
    random.nextBytes(secret);
    byte[] awsSecret = new byte[30];
    random.nextBytes(awsSecret);
    return new TestCredentials(
        UUID.randomUUID().toString(),
        UUID.randomUUID().toString(),
        "sim~" + HexFormat.of().formatHex(secret),
        UUID.randomUUID().toString(),
        String.format("%012d", Math.floorMod(random.nextLong(), 1_000_000_000_000L)),
        "AKIASIM" + HexFormat.of().formatHex(secret, 0, 7).toUpperCase(),
        java.util.Base64.getEncoder().encodeToString(awsSecret));
  }

  /** The base URL of a service, for example https://127.0.0.1:40123. */
  public String endpoint(Service service) {
    ServiceServer server = servers.get(service);
    if (server == null) {
      throw new IllegalArgumentException(service.id() + " is not simulated");
    }
    return server.service().baseUrl();
  }

  /** The Entra ID authority host to give azure-identity (with instance discovery disabled). */
  public String entraAuthorityHost() {
    return endpoint(Service.ENTRA) + "/";
  }

  /** The Azure Resource Manager endpoint to give the management SDK. */
  public String armEndpoint() {
    return endpoint(Service.ARM) + "/";
  }

  /**
   * The Bedrock control-plane endpoint of a region, for endpointOverride: the region is the first
   * path segment, standing in for bedrock.{region}.amazonaws.com.
   */
  public String bedrockEndpoint(String region) {
    return endpoint(Service.BEDROCK) + "/" + region;
  }

  /** The Bedrock runtime endpoint of a region; OpenAI-compatible clients add /openai/v1 or /v1. */
  public String bedrockRuntimeEndpoint(String region) {
    return endpoint(Service.BEDROCK_RUNTIME) + "/" + region;
  }

  /**
   * Bedrock's mantle endpoint of a region, standing in for bedrock-mantle.{region}.api.aws;
   * OpenAI-compatible clients add /v1.
   */
  public String bedrockMantleEndpoint(String region) {
    return endpoint(Service.BEDROCK_MANTLE) + "/" + region;
  }

  /** The STS endpoint, for every region: the region is the one the request is signed for. */
  public String stsEndpoint() {
    return endpoint(Service.STS);
  }

  /** The management limits enforced, and the calls they refused. */
  public ManagementLimits limits() {
    return limits;
  }

  /** Bedrock's state, to seed quotas and look at what was bought. */
  public BedrockState bedrock() {
    return bedrock;
  }

  /** The AWS principals: the test user and the role sessions STS issued. */
  public AwsIdentities awsIdentities() {
    return awsIdentities;
  }

  /** The simulated tenant's applications and role assignments, to register workload identities. */
  public EntraDirectory entraDirectory() {
    return directory;
  }

  public TestCredentials credentials() {
    return credentials;
  }

  public TestCertificates certificates() {
    return certificates;
  }

  public Faults faults() {
    return faults;
  }

  public Calls calls() {
    return calls;
  }

  /** Adds a resource group to the simulated subscription (ARM refuses accounts in unknown ones). */
  public void createResourceGroup(String name) {
    azure.resourceGroups().add(name.toLowerCase());
  }

  /** Closes a service's port: connections are refused until {@link #restore(Service)}. */
  public void refuseConnections(Service service) {
    servers.get(service).stopListening();
  }

  /** Opens a service's port again, on the same port number. */
  public void restore(Service service) {
    servers.get(service).listen();
  }

  /** The endpoints and test credentials, as the admin API and the standalone main show them. */
  public io.vertx.core.json.JsonObject describe(java.nio.file.Path caFile) {
    io.vertx.core.json.JsonObject services = new io.vertx.core.json.JsonObject();
    servers.forEach((service, server) -> services.put(service.id(), server.service().baseUrl()));
    return new io.vertx.core.json.JsonObject()
        .put("services", services)
        .put("caFile", caFile == null ? null : caFile.toString())
        .put(
            "azure",
            new io.vertx.core.json.JsonObject()
                .put("tenantId", credentials.tenantId())
                .put("clientId", credentials.clientId())
                .put("clientSecret", credentials.clientSecret())
                .put("subscriptionId", credentials.subscriptionId())
                .put("authorityHost", entraAuthorityHost())
                .put("resourceManagerEndpoint", armEndpoint()))
        .put(
            "aws",
            new io.vertx.core.json.JsonObject()
                .put("accountId", credentials.awsAccountId())
                .put("accessKeyId", credentials.awsAccessKeyId())
                .put("secretAccessKey", credentials.awsSecretAccessKey()));
  }

  /** Starts the admin API on a loopback port (0 picks one); returns the port. */
  public int startAdminApi(int port, java.nio.file.Path caFile) {
    return AdminApi.start(vertx, this, describe(caFile), port).actualPort();
  }

  /** Clears faults and counters between tests; what exists in the clouds stays. */
  public void reset() {
    faults.clear();
    calls.reset();
    servers.values().forEach(ServiceServer::listen);
  }

  @Override
  public void close() {
    servers.values().forEach(ServiceServer::close);
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
