package io.crosswind.simulators.bedrock;

import io.crosswind.simulators.bedrock.BedrockCatalog.FoundationModel;
import io.crosswind.simulators.bedrock.BedrockCatalog.SystemProfile;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What exists in the simulated AWS account's Bedrock: application inference profiles and
 * Provisioned Throughputs per region with their tags, plus the quotas that limit them and the
 * runtime. A Provisioned Throughput's status follows from the clock: Creating (or Updating) until
 * {@code readyAt}, then InService, or Failed when the operation was made to fail.
 */
public final class BedrockState {

  /** Tags per resource (TooManyTagsException beyond). */
  static final int MAX_TAGS = 50;

  /** Model units per region for Provisioned Throughputs unless a test sets another limit. */
  public static final int DEFAULT_MODEL_UNITS = 10;

  /** Requests and tokens per minute of one model (or cross-region profile) in one region. */
  public record RuntimeQuota(int requestsPerMinute, int tokensPerMinute) {}

  public static final RuntimeQuota DEFAULT_RUNTIME_QUOTA = new RuntimeQuota(1_000, 1_000_000);

  /** A Provisioned Throughput. Mutable fields change only under the state's lock. */
  /** A resource created with a client request token, so a retry finds it again. */
  interface Idempotent {
    String region();

    String clientRequestToken();
  }

  /** The resource a retry with this token in this region refers to, if any. */
  static <T extends Idempotent> java.util.Optional<T> replay(
      java.util.Collection<T> resources, String region, String token) {
    if (token == null) {
      return java.util.Optional.empty();
    }
    return resources.stream()
        .filter(r -> r.region().equals(region) && token.equals(r.clientRequestToken()))
        .findFirst();
  }

  static final class ProvisionedThroughput implements Idempotent {
    @Override
    public String region() {
      return region;
    }

    @Override
    public String clientRequestToken() {
      return clientRequestToken;
    }

    final String arn;
    final String region;
    final String foundationModelArn;
    final int modelUnits;
    final String commitmentDuration;
    final Instant commitmentExpirationTime;
    final Instant creationTime;
    final String clientRequestToken;
    final String request;
    String name;
    String modelArn;
    String desiredModelArn;
    Instant lastModifiedTime;
    Instant readyAt;
    boolean updating;
    boolean failed;
    final Map<String, String> tags = new LinkedHashMap<>();

    ProvisionedThroughput(
        String arn,
        String region,
        String name,
        String foundationModelArn,
        int modelUnits,
        String commitmentDuration,
        Instant commitmentExpirationTime,
        Instant creationTime,
        String clientRequestToken,
        String request) {
      this.arn = arn;
      this.region = region;
      this.name = name;
      this.foundationModelArn = foundationModelArn;
      this.modelArn = foundationModelArn;
      this.desiredModelArn = foundationModelArn;
      this.modelUnits = modelUnits;
      this.commitmentDuration = commitmentDuration;
      this.commitmentExpirationTime = commitmentExpirationTime;
      this.creationTime = creationTime;
      this.lastModifiedTime = creationTime;
      this.clientRequestToken = clientRequestToken;
      this.request = request;
    }

    /**
     * Creating, Updating, InService or Failed, as ProvisionedModelStatus spells them; once an
     * update is done the Provisioned Throughput serves the desired model.
     */
    String status(Instant now) {
      if (now.isBefore(readyAt)) {
        return updating ? "Updating" : "Creating";
      }
      if (failed) {
        return "Failed";
      }
      modelArn = desiredModelArn;
      return "InService";
    }

    boolean committed(Instant now) {
      return commitmentExpirationTime != null && now.isBefore(commitmentExpirationTime);
    }
  }

  /** An application inference profile. */
  static final class ApplicationProfile implements Idempotent {
    @Override
    public String region() {
      return region;
    }

    @Override
    public String clientRequestToken() {
      return clientRequestToken;
    }

    final String arn;
    final String id;
    final String region;
    final String name;
    final String description;
    final List<String> modelArns;
    final String quotaKey;
    final String servedModelId;
    final Instant createdAt;
    final String clientRequestToken;
    final String request;
    final Map<String, String> tags = new LinkedHashMap<>();

    ApplicationProfile(
        String arn,
        String id,
        String region,
        String name,
        String description,
        List<String> modelArns,
        String quotaKey,
        String servedModelId,
        Instant createdAt,
        String clientRequestToken,
        String request) {
      this.arn = arn;
      this.id = id;
      this.region = region;
      this.name = name;
      this.description = description;
      this.modelArns = List.copyOf(modelArns);
      this.quotaKey = quotaKey;
      this.servedModelId = servedModelId;
      this.createdAt = createdAt;
      this.clientRequestToken = clientRequestToken;
      this.request = request;
    }
  }

  /**
   * What a runtime request's model id resolves to.
   *
   * @param resources the ARNs the caller must be allowed to invoke (profile, then its models)
   * @param model the foundation model that answers
   * @param quotaKey the runtime quota it counts against, or null for none (Provisioned Throughput)
   * @param servedBy who answers, for the reply text
   */
  record Target(List<String> resources, FoundationModel model, String quotaKey, String servedBy) {}

  /** A resolved target, or the AWS error to send instead. */
  record Resolution(Target target, int status, String code, String message) {
    static Resolution error(int status, String code, String message) {
      return new Resolution(null, status, code, message);
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  final BedrockCatalog catalog;
  final String account;
  final Map<String, ProvisionedThroughput> throughputs = new ConcurrentHashMap<>();
  final Map<String, ApplicationProfile> profiles = new ConcurrentHashMap<>();
  private final Map<String, Integer> modelUnitLimits = new ConcurrentHashMap<>();
  private final Map<String, RuntimeQuota> runtimeQuotas = new ConcurrentHashMap<>();
  private final Set<String> activeLegacyUse = ConcurrentHashMap.newKeySet();

  public BedrockState(BedrockCatalog catalog, String account) {
    this.catalog = catalog;
    this.account = account;
  }

  public BedrockCatalog catalog() {
    return catalog;
  }

  /** Sets the region's limit of model units across its Provisioned Throughputs. */
  public void setModelUnitLimit(String region, int modelUnits) {
    modelUnitLimits.put(region, modelUnits);
  }

  public int modelUnitLimit(String region) {
    return modelUnitLimits.getOrDefault(region, DEFAULT_MODEL_UNITS);
  }

  /** Model units held by the region's Provisioned Throughputs that did not fail. */
  public synchronized int modelUnitsInUse(String region, Instant now) {
    return throughputs.values().stream()
        .filter(p -> p.region.equals(region) && !"Failed".equals(p.status(now)))
        .mapToInt(p -> p.modelUnits)
        .sum();
  }

  /**
   * Sets the runtime quota of a model id or system inference profile id in a region (application
   * profiles count against the model or system profile they copy).
   */
  public void setRuntimeQuota(String region, String modelOrProfileId, RuntimeQuota quota) {
    runtimeQuotas.put(region + "/" + modelOrProfileId, quota);
  }

  /**
   * Marks the account as actively using a LEGACY model in a region, as Bedrock counts use over the
   * last 30 days: such an account keeps access to the model (new application inference profiles,
   * invocations) until its end of life; any other account is refused.
   */
  public void recordRecentUse(String region, String modelId) {
    activeLegacyUse.add(region + "/" + modelId);
  }

  /** Whether the account may still use this model in the region (always, unless it is LEGACY). */
  boolean usable(String region, FoundationModel model) {
    return !model.legacy() || activeLegacyUse.contains(region + "/" + model.modelId());
  }

  RuntimeQuota runtimeQuota(String region, String quotaKey) {
    return runtimeQuotas.getOrDefault(region + "/" + quotaKey, DEFAULT_RUNTIME_QUOTA);
  }

  /** The ARNs of the region's Provisioned Throughputs, for tests to look at what was bought. */
  public List<String> provisionedThroughputArns(String region) {
    return throughputs.values().stream()
        .filter(p -> p.region.equals(region))
        .map(p -> p.arn)
        .sorted()
        .toList();
  }

  static String newResourceId() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  String provisionedArn(String region, String id) {
    return "arn:aws:bedrock:" + region + ":" + account + ":provisioned-model/" + id;
  }

  String applicationProfileArn(String region, String id) {
    return "arn:aws:bedrock:" + region + ":" + account + ":application-inference-profile/" + id;
  }

  /** A Provisioned Throughput of the region by name or ARN. */
  Optional<ProvisionedThroughput> throughput(String region, String nameOrArn) {
    return throughputs.values().stream()
        .filter(p -> p.region.equals(region))
        .filter(p -> p.arn.equals(nameOrArn) || p.name.equals(nameOrArn))
        .findFirst();
  }

  /** An application profile of the region by id or ARN. */
  Optional<ApplicationProfile> applicationProfile(String region, String idOrArn) {
    return profiles.values().stream()
        .filter(p -> p.region.equals(region))
        .filter(p -> p.arn.equals(idOrArn) || p.id.equals(idOrArn))
        .findFirst();
  }

  /** The tags of a taggable resource of the region (PT or application profile), if it exists. */
  Optional<Map<String, String>> tagsOf(String region, String arn) {
    ProvisionedThroughput pt = throughputs.get(arn);
    if (pt != null && pt.region.equals(region)) {
      return Optional.of(pt.tags);
    }
    ApplicationProfile profile = profiles.get(arn);
    if (profile != null && profile.region.equals(region)) {
      return Optional.of(profile.tags);
    }
    return Optional.empty();
  }

  /**
   * Resolves the model id of a runtime request: a foundation model id or ARN, a system inference
   * profile id or ARN, an application inference profile ARN, or a Provisioned Throughput ARN.
   */
  synchronized Resolution resolve(String region, String modelId, Instant now) {
    String prefix = "arn:aws:bedrock:" + region + ":" + account + ":";
    Optional<SystemProfile> system = catalog.profile(region, account, modelId);
    if (system.isPresent()) {
      SystemProfile p = system.get();
      FoundationModel model = catalog.modelOf(p);
      List<String> resources = new ArrayList<>();
      resources.add(p.arn(region, account));
      p.regions().stream().sorted().forEach(r -> resources.add(model.arn(r)));
      return new Resolution(
          new Target(resources, model, p.id(), "bedrock/" + region + "/" + p.id()), 0, null, null);
    }
    if (modelId.startsWith(prefix + "application-inference-profile/")) {
      Optional<ApplicationProfile> app = applicationProfile(region, modelId);
      if (app.isEmpty()) {
        return Resolution.error(
            400, "ValidationException", "The provided model identifier is invalid.");
      }
      ApplicationProfile a = app.get();
      List<String> resources = new ArrayList<>();
      resources.add(a.arn);
      resources.addAll(a.modelArns);
      FoundationModel model = catalog.model(region, a.servedModelId).orElseThrow();
      return new Resolution(
          new Target(resources, model, a.quotaKey, "bedrock/" + region + "/" + a.id),
          0,
          null,
          null);
    }
    if (modelId.startsWith(prefix + "provisioned-model/")) {
      ProvisionedThroughput pt = throughputs.get(modelId);
      if (pt == null || !pt.region.equals(region)) {
        return Resolution.error(
            400, "ValidationException", "The provided model identifier is invalid.");
      }
      if (!"InService".equals(pt.status(now))) {
        return Resolution.error(
            400,
            "ValidationException",
            "The provisioned model " + pt.arn + " is not in service (" + pt.status(now) + ").");
      }
      FoundationModel model = catalog.model(region, pt.modelArn).orElseThrow();
      return new Resolution(
          new Target(List.of(pt.arn), model, null, "bedrock/" + region + "/" + pt.name),
          0,
          null,
          null);
    }
    Optional<FoundationModel> found = catalog.model(region, modelId);
    if (found.isEmpty()) {
      return Resolution.error(
          400, "ValidationException", "The provided model identifier is invalid.");
    }
    FoundationModel model = found.get();
    if (!usable(region, model)) {
      return Resolution.error(
          404,
          "ResourceNotFoundException",
          "Access denied. This Model is marked by provider as Legacy and you have not been actively"
              + " using the model in the last 30 days. Please upgrade to an active model on Amazon"
              + " Bedrock");
    }
    if (!model.supports(BedrockCatalog.ON_DEMAND)) {
      return Resolution.error(
          400,
          "ValidationException",
          "Invocation of model ID "
              + model.modelId()
              + " with on-demand throughput isn\u2019t supported. Retry your request with the ID or"
              + " ARN of an inference profile that contains this model.");
    }
    return new Resolution(
        new Target(
            List.of(model.arn(region)),
            model,
            model.modelId(),
            "bedrock/" + region + "/" + model.modelId()),
        0,
        null,
        null);
  }
}
