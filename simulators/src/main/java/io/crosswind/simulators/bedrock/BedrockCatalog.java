package io.crosswind.simulators.bedrock;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The foundation models and system-defined (cross-region) inference profiles the simulated Bedrock
 * offers, per region. Small on purpose: enough to test on-demand models, a model that is served
 * only through inference profiles, a LEGACY model, a model sold only as Provisioned Throughput, an
 * embedding model, and a model missing from a region. Shapes follow FoundationModelSummary and
 * InferenceProfileSummary of the Bedrock API 2023-04-20.
 */
public final class BedrockCatalog {

  /** A foundation model as ListFoundationModels reports it. */
  public record FoundationModel(
      String modelId,
      String modelName,
      String providerName,
      List<String> inputModalities,
      List<String> outputModalities,
      Set<String> inferenceTypesSupported,
      boolean legacy,
      int maxOutputTokens,
      Set<String> regions) {

    public String arn(String region) {
      return "arn:aws:bedrock:" + region + "::foundation-model/" + modelId;
    }

    public boolean supports(String inferenceType) {
      return inferenceTypesSupported.contains(inferenceType);
    }
  }

  /** A system-defined inference profile: one model served from several regions. */
  public record SystemProfile(
      String id, String name, String description, String modelId, Set<String> regions) {

    public String arn(String region, String account) {
      return "arn:aws:bedrock:" + region + ":" + account + ":inference-profile/" + id;
    }
  }

  public static final String ON_DEMAND = "ON_DEMAND";
  public static final String PROVISIONED = "PROVISIONED";
  public static final String INFERENCE_PROFILE = "INFERENCE_PROFILE";

  /** When the LEGACY model became legacy, and when it reaches its end of life. */
  static final Instant LEGACY_SINCE = Instant.parse("2025-07-21T00:00:00Z");

  static final Instant END_OF_LIFE = Instant.parse("2026-12-31T00:00:00Z");

  private static final Set<String> US = Set.of("us-east-1", "us-east-2", "us-west-2");
  private static final Set<String> EU = Set.of("eu-central-1", "eu-west-1", "eu-north-1");

  private final List<FoundationModel> models;
  private final List<SystemProfile> profiles;

  public BedrockCatalog(List<FoundationModel> models, List<SystemProfile> profiles) {
    this.models = List.copyOf(models);
    this.profiles = List.copyOf(profiles);
  }

  /** The catalog the simulators start with. */
  public static BedrockCatalog standard() {
    Set<String> all = union(US, EU);
    List<String> text = List.of("TEXT");
    String sonnet = "anthropic.claude-sonnet-4-5-20250929-v1:0";
    return new BedrockCatalog(
        List.of(
            // The model the examples name; its id follows the gpt-oss pattern, not a published one.
            new FoundationModel(
                "openai.gpt-5.4",
                "gpt-5.4",
                "OpenAI",
                text,
                text,
                Set.of(ON_DEMAND, PROVISIONED),
                false,
                128_000,
                all),
            new FoundationModel(
                "openai.gpt-oss-120b-1:0",
                "gpt-oss-120b",
                "OpenAI",
                text,
                text,
                Set.of(ON_DEMAND),
                false,
                16_384,
                all),
            new FoundationModel(
                "openai.gpt-oss-20b-1:0",
                "gpt-oss-20b",
                "OpenAI",
                text,
                text,
                Set.of(ON_DEMAND),
                false,
                16_384,
                all),
            new FoundationModel(
                sonnet,
                "Claude Sonnet 4.5",
                "Anthropic",
                List.of("TEXT", "IMAGE"),
                text,
                Set.of(INFERENCE_PROFILE),
                false,
                65_536,
                all),
            new FoundationModel(
                "anthropic.claude-3-sonnet-20240229-v1:0",
                "Claude 3 Sonnet",
                "Anthropic",
                List.of("TEXT", "IMAGE"),
                text,
                Set.of(ON_DEMAND),
                true,
                4_096,
                US),
            new FoundationModel(
                "amazon.nova-pro-v1:0",
                "Nova Pro",
                "Amazon",
                List.of("TEXT", "IMAGE", "VIDEO"),
                text,
                Set.of(ON_DEMAND, INFERENCE_PROFILE),
                false,
                10_000,
                all),
            new FoundationModel(
                "amazon.nova-pro-v1:0:300k",
                "Nova Pro",
                "Amazon",
                List.of("TEXT", "IMAGE", "VIDEO"),
                text,
                Set.of(PROVISIONED),
                false,
                10_000,
                Set.of("us-east-1")),
            new FoundationModel(
                "amazon.titan-embed-text-v2:0",
                "Titan Text Embeddings V2",
                "Amazon",
                text,
                List.of("EMBEDDING"),
                Set.of(ON_DEMAND),
                false,
                0,
                all)),
        List.of(
            new SystemProfile(
                "us." + sonnet,
                "US Anthropic Claude Sonnet 4.5",
                "Routes requests to Anthropic Claude Sonnet 4.5 in us-east-1, us-east-2 and"
                    + " us-west-2.",
                sonnet,
                US),
            new SystemProfile(
                "eu." + sonnet,
                "EU Anthropic Claude Sonnet 4.5",
                "Routes requests to Anthropic Claude Sonnet 4.5 in eu-central-1, eu-west-1 and"
                    + " eu-north-1.",
                sonnet,
                EU),
            new SystemProfile(
                "us.amazon.nova-pro-v1:0",
                "US Nova Pro",
                "Routes requests to Nova Pro in us-east-1, us-east-2 and us-west-2.",
                "amazon.nova-pro-v1:0",
                US)));
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    java.util.Set<String> out = new java.util.TreeSet<>(a);
    out.addAll(b);
    return Set.copyOf(out);
  }

  /** Whether Bedrock is offered in this region at all. */
  public boolean offersRegion(String region) {
    return models.stream().anyMatch(m -> m.regions().contains(region));
  }

  public List<FoundationModel> models(String region) {
    return models.stream().filter(m -> m.regions().contains(region)).toList();
  }

  /** A model offered in the region, by model id or foundation-model ARN of that region. */
  public Optional<FoundationModel> model(String region, String idOrArn) {
    String prefix = "arn:aws:bedrock:" + region + "::foundation-model/";
    String id = idOrArn.startsWith(prefix) ? idOrArn.substring(prefix.length()) : idOrArn;
    return models(region).stream().filter(m -> m.modelId().equals(id)).findFirst();
  }

  /** The system-defined profiles a region can route from (its source region). */
  public List<SystemProfile> profiles(String region) {
    return profiles.stream().filter(p -> p.regions().contains(region)).toList();
  }

  /** A system profile usable in the region, by id or ARN. */
  public Optional<SystemProfile> profile(String region, String account, String idOrArn) {
    return profiles(region).stream()
        .filter(p -> p.id().equals(idOrArn) || p.arn(region, account).equals(idOrArn))
        .findFirst();
  }

  /** The model a profile routes to, as it is offered in one of the profile's regions. */
  public FoundationModel modelOf(SystemProfile profile) {
    return models.stream()
        .filter(m -> m.modelId().equals(profile.modelId()))
        .findFirst()
        .orElseThrow();
  }
}
