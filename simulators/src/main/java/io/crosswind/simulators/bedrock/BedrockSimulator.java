package io.crosswind.simulators.bedrock;

import io.crosswind.simulators.bedrock.AwsIdentities.Identity;
import io.crosswind.simulators.bedrock.BedrockCatalog.FoundationModel;
import io.crosswind.simulators.bedrock.BedrockCatalog.SystemProfile;
import io.crosswind.simulators.bedrock.BedrockState.ApplicationProfile;
import io.crosswind.simulators.bedrock.BedrockState.ProvisionedThroughput;
import io.crosswind.simulators.core.Calls;
import io.crosswind.simulators.core.Faults;
import io.crosswind.simulators.core.ManagementLimits;
import io.crosswind.simulators.core.Service;
import io.crosswind.simulators.core.SimulatedService;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The Bedrock control plane, {@code bedrock.{region}.amazonaws.com}, REST-JSON, API version
 * 2023-04-20 (shapes, paths and error codes from the service model in aws-sdk-java-v2,
 * services/bedrock/.../service-2.json, and the Amazon Bedrock API Reference): foundation models,
 * application and system-defined inference profiles, Provisioned Throughput and tags. The region is
 * the first path segment ({@code https://127.0.0.1:port/us-east-1/foundation-models}), standing in
 * for the regional host name; every request is SigV4-signed for service {@code bedrock} in that
 * region. Creating a Provisioned Throughput is long-running: Creating, then InService (or Failed
 * under a FAILED_OPERATION fault) after the operation time.
 */
public final class BedrockSimulator extends SimulatedService {

  static final Pattern PROVISIONED_NAME = Pattern.compile("([0-9a-zA-Z][_-]?)+");
  static final Pattern PROFILE_NAME = Pattern.compile("([0-9a-zA-Z][ _-]?)+");
  static final Pattern TAG_TEXT = Pattern.compile("[a-zA-Z0-9\\s._:/=+@-]*");
  static final Set<String> COMMITMENTS = Set.of("OneMonth", "SixMonths");
  static final Instant SYSTEM_PROFILES_CREATED = Instant.parse("2025-09-29T00:00:00Z");

  private final BedrockState state;
  private final SigV4Verifier verifier;
  private final Duration operationTime;

  public BedrockSimulator(
      Faults faults,
      Calls calls,
      Clock clock,
      BedrockState state,
      SigV4Verifier verifier,
      Duration operationTime) {
    super(faults, calls, clock);
    this.state = state;
    this.verifier = verifier;
    this.operationTime = operationTime;
  }

  @Override
  public Service service() {
    return Service.BEDROCK;
  }

  @Override
  protected void routes(Router router) {
    RestJson.requestIds(router);
    router
        .get("/:region/foundation-models")
        .handler(op("ListFoundationModels", false, this::listModels));
    router
        .get("/:region/foundation-models/:modelIdentifier")
        .handler(op("GetFoundationModel", false, this::getModel));
    router
        .post("/:region/inference-profiles")
        .handler(op("CreateInferenceProfile", true, this::createProfile));
    router
        .get("/:region/inference-profiles")
        .handler(op("ListInferenceProfiles", false, this::listProfiles));
    router
        .get("/:region/inference-profiles/:id")
        .handler(op("GetInferenceProfile", false, this::getProfile));
    router
        .delete("/:region/inference-profiles/:id")
        .handler(op("DeleteInferenceProfile", true, this::deleteProfile));
    router
        .post("/:region/provisioned-model-throughput")
        .handler(op("CreateProvisionedModelThroughput", true, this::createThroughput));
    router
        .get("/:region/provisioned-model-throughputs")
        .handler(op("ListProvisionedModelThroughputs", false, this::listThroughputs));
    router
        .get("/:region/provisioned-model-throughput/:id")
        .handler(op("GetProvisionedModelThroughput", false, this::getThroughput));
    router
        .patch("/:region/provisioned-model-throughput/:id")
        .handler(op("UpdateProvisionedModelThroughput", true, this::updateThroughput));
    router
        .delete("/:region/provisioned-model-throughput/:id")
        .handler(op("DeleteProvisionedModelThroughput", true, this::deleteThroughput));
    router.post("/:region/tagResource").handler(op("TagResource", true, this::tagResource));
    router.post("/:region/untagResource").handler(op("UntagResource", true, this::untagResource));
    router
        .post("/:region/listTagsForResource")
        .handler(op("ListTagsForResource", false, this::listTags));
  }

  // ---- common steps --------------------------------------------------------------------------

  /**
   * Counts the operation and applies the faults of its region, then checks the signature: the
   * action runs with the caller in {@code rc.get("caller")}.
   */
  private Handler<RoutingContext> op(
      String operation, boolean mutating, Handler<RoutingContext> action) {
    return rc -> {
      String region = rc.pathParam("region");
      if (!state.catalog.offersRegion(region)) {
        RestJson.error(rc, 404, "UnknownOperationException", "Bedrock is not offered in " + region);
        return;
      }
      operation(
          rc,
          operation,
          region,
          mutating,
          rc2 -> {
            SigV4Verifier.Result result =
                verifier.verifyHeader(rc2.request(), bodyBytes(rc2), "bedrock", region);
            if (!result.ok()) {
              RestJson.authError(rc2, result.problem(), result.message());
              return;
            }
            if (verifier.identities().onlyAssumesRoles(result.identity())) {
              RestJson.error(
                  rc2,
                  403,
                  "AccessDeniedException",
                  RestJson.notAuthorized(
                      result.identity(), "bedrock:" + operation, "*", "identity-based"));
              return;
            }
            if (!withinLimits(
                rc2,
                operation,
                ManagementLimits.bedrock(operation),
                "bedrock|"
                    + AwsIdentities.accountOf(result.identity())
                    + "|"
                    + region
                    + "|"
                    + ManagementLimits.bedrockBucket(operation))) {
              return;
            }
            rc2.put("caller", result.identity());
            rc2.put("action", "bedrock:" + operation);
            action.handle(rc2);
          });
    };
  }

  /** Checks the caller's session policy for this operation on a resource ("*" for listings). */
  private static boolean allowed(RoutingContext rc, String resource) {
    Identity caller = rc.get("caller");
    return RestJson.authorized(rc, caller, rc.get("action"), resource);
  }

  static byte[] bodyBytes(RoutingContext rc) {
    return rc.body() == null || rc.body().buffer() == null
        ? new byte[0]
        : rc.body().buffer().getBytes();
  }

  private static void validation(RoutingContext rc, String message) {
    RestJson.error(rc, 400, "ValidationException", message);
  }

  private static void notFound(RoutingContext rc, String message) {
    RestJson.error(rc, 404, "ResourceNotFoundException", message);
  }

  private static String constraint(String value, String member, String constraint) {
    return "1 validation error detected: Value '"
        + value
        + "' at '"
        + member
        + "' failed to satisfy constraint: "
        + constraint;
  }

  // ---- foundation models ---------------------------------------------------------------------

  private void listModels(RoutingContext rc) {
    if (!allowed(rc, "*")) {
      return;
    }
    String region = rc.pathParam("region");
    String provider = rc.queryParams().get("byProvider");
    String output = rc.queryParams().get("byOutputModality");
    String inference = rc.queryParams().get("byInferenceType");
    String customization = rc.queryParams().get("byCustomizationType");
    if (output != null && !Set.of("TEXT", "IMAGE", "EMBEDDING").contains(output)) {
      validation(
          rc,
          constraint(
              output,
              "byOutputModality",
              "Member must satisfy enum value set: [TEXT, IMAGE, EMBEDDING]"));
      return;
    }
    if (inference != null && !Set.of("ON_DEMAND", "PROVISIONED").contains(inference)) {
      validation(
          rc,
          constraint(
              inference,
              "byInferenceType",
              "Member must satisfy enum value set: [ON_DEMAND, PROVISIONED]"));
      return;
    }
    JsonArray summaries = new JsonArray();
    state.catalog.models(region).stream()
        .filter(m -> provider == null || m.providerName().equalsIgnoreCase(provider))
        .filter(m -> output == null || m.outputModalities().contains(output))
        .filter(m -> inference == null || m.supports(inference))
        .filter(m -> customization == null)
        .forEach(m -> summaries.add(modelJson(m, region)));
    RestJson.ok(rc, 200, new JsonObject().put("modelSummaries", summaries));
  }

  private void getModel(RoutingContext rc) {
    String region = rc.pathParam("region");
    String id = rc.pathParam("modelIdentifier");
    Optional<FoundationModel> model = state.catalog.model(region, id);
    if (model.isEmpty()) {
      notFound(rc, "Could not find model with identifier " + id + " in " + region + ".");
      return;
    }
    if (allowed(rc, model.get().arn(region))) {
      RestJson.ok(rc, 200, new JsonObject().put("modelDetails", modelJson(model.get(), region)));
    }
  }

  private static JsonObject modelJson(FoundationModel m, String region) {
    JsonObject lifecycle = new JsonObject().put("status", m.legacy() ? "LEGACY" : "ACTIVE");
    if (m.legacy()) {
      lifecycle
          .put("legacyTime", BedrockCatalog.LEGACY_SINCE.toString())
          .put("endOfLifeTime", BedrockCatalog.END_OF_LIFE.toString());
    }
    return new JsonObject()
        .put("modelArn", m.arn(region))
        .put("modelId", m.modelId())
        .put("modelName", m.modelName())
        .put("providerName", m.providerName())
        .put("inputModalities", new JsonArray(m.inputModalities()))
        .put("outputModalities", new JsonArray(m.outputModalities()))
        .put("responseStreamingSupported", !m.outputModalities().contains("EMBEDDING"))
        .put("customizationsSupported", new JsonArray())
        .put(
            "inferenceTypesSupported",
            new JsonArray(m.inferenceTypesSupported().stream().sorted().toList()))
        .put("modelLifecycle", lifecycle);
  }

  // ---- inference profiles --------------------------------------------------------------------

  private void createProfile(RoutingContext rc) {
    String region = rc.pathParam("region");
    JsonObject body = jsonBody(rc);
    if (body == null) {
      validation(rc, "The request body is not valid JSON.");
      return;
    }
    String name = body.getString("inferenceProfileName");
    String copyFrom = body.getJsonObject("modelSource", new JsonObject()).getString("copyFrom");
    String token = body.getString("clientRequestToken");
    Map<String, String> tags = tags(body.getJsonArray("tags"));
    if (name == null || name.length() > 64 || !PROFILE_NAME.matcher(name).matches()) {
      validation(
          rc,
          constraint(
              name,
              "inferenceProfileName",
              "Member must satisfy regular expression pattern: ([0-9a-zA-Z][ _-]?)+"));
      return;
    }
    if (copyFrom == null || !copyFrom.startsWith("arn:aws:bedrock:")) {
      validation(
          rc,
          constraint(
              copyFrom,
              "modelSource.copyFrom",
              "Member must satisfy regular expression pattern: arn:aws(|-us-gov|-cn|-iso|-iso-b):bedrock:(|[0-9a-z-]{0,20}):(|[0-9]{12}):(inference-profile|foundation-model)/[a-zA-Z0-9-:.]+"));
      return;
    }
    if (tags == null) {
      validation(
          rc,
          "Tag keys and values must match [a-zA-Z0-9\\s._:/=+@-]*, keys 1 to 128 and values up to 256 characters.");
      return;
    }
    if (tags.size() > BedrockState.MAX_TAGS) {
      tooManyTags(rc, null);
      return;
    }
    if (!allowed(
        rc,
        "arn:aws:bedrock:" + region + ":" + state.account + ":application-inference-profile/*")) {
      return;
    }
    Instant now = clock.instant();
    String request = body.copy().put("clientRequestToken", null).encode();
    ApplicationProfile profile;
    synchronized (state) {
      Optional<ApplicationProfile> replay =
          BedrockState.replay(state.profiles.values(), region, token);
      if (replay.isPresent()) {
        if (!replay.get().request.equals(request)) {
          RestJson.error(
              rc,
              400,
              "ConflictException",
              "The clientRequestToken " + token + " was already used with different parameters.");
          return;
        }
        RestJson.ok(
            rc,
            201,
            new JsonObject().put("inferenceProfileArn", replay.get().arn).put("status", "ACTIVE"));
        return;
      }
      if (state.profiles.values().stream()
          .anyMatch(p -> p.region.equals(region) && p.name.equals(name))) {
        RestJson.error(
            rc,
            400,
            "ConflictException",
            "An inference profile with the name " + name + " already exists.");
        return;
      }
      profile =
          newProfile(
              rc, region, name, body.getString("description"), copyFrom, token, request, now);
      if (profile == null) {
        return;
      }
      profile.tags.putAll(tags);
      state.profiles.put(profile.arn, profile);
    }
    RestJson.ok(
        rc, 201, new JsonObject().put("inferenceProfileArn", profile.arn).put("status", "ACTIVE"));
  }

  /**
   * The profile copying a foundation model or system profile of the region, or null (error sent).
   */
  private ApplicationProfile newProfile(
      RoutingContext rc,
      String region,
      String name,
      String description,
      String copyFrom,
      String token,
      String request,
      Instant now) {
    String id = BedrockState.newResourceId();
    String arn = state.applicationProfileArn(region, id);
    Optional<SystemProfile> system = state.catalog.profile(region, state.account, copyFrom);
    if (system.isPresent()) {
      SystemProfile p = system.get();
      FoundationModel model = state.catalog.modelOf(p);
      List<String> arns = p.regions().stream().sorted().map(model::arn).toList();
      return new ApplicationProfile(
          arn, id, region, name, description, arns, p.id(), model.modelId(), now, token, request);
    }
    Optional<FoundationModel> model =
        copyFrom.startsWith("arn:aws:bedrock:" + region + "::foundation-model/")
            ? state.catalog.model(region, copyFrom)
            : Optional.empty();
    if (model.isEmpty()) {
      notFound(
          rc, "The model or inference profile " + copyFrom + " was not found in " + region + ".");
      return null;
    }
    if (!model.get().supports(BedrockCatalog.ON_DEMAND) || !state.usable(region, model.get())) {
      validation(
          rc,
          "The model "
              + model.get().modelId()
              + " does not support on-demand inference in "
              + region
              + "; copy a system-defined inference profile that contains it.");
      return null;
    }
    return new ApplicationProfile(
        arn,
        id,
        region,
        name,
        description,
        List.of(model.get().arn(region)),
        model.get().modelId(),
        model.get().modelId(),
        now,
        token,
        request);
  }

  private void getProfile(RoutingContext rc) {
    String region = rc.pathParam("region");
    String id = rc.pathParam("id");
    Optional<JsonObject> found =
        state
            .applicationProfile(region, id)
            .map(this::profileJson)
            .or(
                () ->
                    state
                        .catalog
                        .profile(region, state.account, id)
                        .map(p -> systemProfileJson(p, region)));
    if (found.isEmpty()) {
      notFound(rc, "The inference profile " + id + " was not found in " + region + ".");
      return;
    }
    if (allowed(rc, found.get().getString("inferenceProfileArn"))) {
      RestJson.ok(rc, 200, found.get());
    }
  }

  private void listProfiles(RoutingContext rc) {
    String region = rc.pathParam("region");
    String type = rc.queryParams().get("type");
    if (type != null && !Set.of("SYSTEM_DEFINED", "APPLICATION").contains(type)) {
      validation(
          rc,
          constraint(
              type,
              "typeEquals",
              "Member must satisfy enum value set: [SYSTEM_DEFINED, APPLICATION]"));
      return;
    }
    if (!allowed(rc, "*")) {
      return;
    }
    List<JsonObject> all = new java.util.ArrayList<>();
    if (type == null || type.equals("SYSTEM_DEFINED")) {
      state.catalog.profiles(region).forEach(p -> all.add(systemProfileJson(p, region)));
    }
    if (type == null || type.equals("APPLICATION")) {
      state.profiles.values().stream()
          .filter(p -> p.region.equals(region))
          .sorted(
              Comparator.comparing((ApplicationProfile p) -> p.createdAt).thenComparing(p -> p.id))
          .forEach(p -> all.add(profileJson(p)));
    }
    page(rc, all, "inferenceProfileSummaries");
  }

  private void deleteProfile(RoutingContext rc) {
    String region = rc.pathParam("region");
    String id = rc.pathParam("id");
    if (state.catalog.profile(region, state.account, id).isPresent()) {
      validation(rc, "System-defined inference profiles can't be deleted.");
      return;
    }
    Optional<ApplicationProfile> profile = state.applicationProfile(region, id);
    if (profile.isEmpty()) {
      notFound(rc, "The inference profile " + id + " was not found in " + region + ".");
      return;
    }
    if (allowed(rc, profile.get().arn)) {
      state.profiles.remove(profile.get().arn);
      RestJson.ok(rc, 200, new JsonObject());
    }
  }

  private JsonObject profileJson(ApplicationProfile p) {
    JsonArray models = new JsonArray();
    p.modelArns.forEach(a -> models.add(new JsonObject().put("modelArn", a)));
    return new JsonObject()
        .put("inferenceProfileName", p.name)
        .put("description", p.description)
        .put("createdAt", p.createdAt.toString())
        .put("updatedAt", p.createdAt.toString())
        .put("inferenceProfileArn", p.arn)
        .put("models", models)
        .put("inferenceProfileId", p.id)
        .put("status", "ACTIVE")
        .put("type", "APPLICATION");
  }

  private JsonObject systemProfileJson(SystemProfile p, String region) {
    FoundationModel model = state.catalog.modelOf(p);
    JsonArray models = new JsonArray();
    p.regions().stream()
        .sorted()
        .forEach(r -> models.add(new JsonObject().put("modelArn", model.arn(r))));
    return new JsonObject()
        .put("inferenceProfileName", p.name())
        .put("description", p.description())
        .put("createdAt", SYSTEM_PROFILES_CREATED.toString())
        .put("updatedAt", SYSTEM_PROFILES_CREATED.toString())
        .put("inferenceProfileArn", p.arn(region, state.account))
        .put("models", models)
        .put("inferenceProfileId", p.id())
        .put("status", "ACTIVE")
        .put("type", "SYSTEM_DEFINED");
  }

  // ---- provisioned throughput ----------------------------------------------------------------

  private void createThroughput(RoutingContext rc) {
    String region = rc.pathParam("region");
    JsonObject body = jsonBody(rc);
    if (body == null) {
      validation(rc, "The request body is not valid JSON.");
      return;
    }
    String name = body.getString("provisionedModelName");
    String modelId = body.getString("modelId");
    Integer units = body.getInteger("modelUnits");
    String commitment = body.getString("commitmentDuration");
    String token = body.getString("clientRequestToken");
    Map<String, String> tags = tags(body.getJsonArray("tags"));
    if (name == null || name.length() > 63 || !PROVISIONED_NAME.matcher(name).matches()) {
      validation(
          rc,
          constraint(
              name,
              "provisionedModelName",
              "Member must satisfy regular expression pattern: ([0-9a-zA-Z][_-]?)+"));
      return;
    }
    if (units == null || units < 1) {
      validation(
          rc,
          constraint(
              String.valueOf(units),
              "modelUnits",
              "Member must have value greater than or equal to 1"));
      return;
    }
    if (commitment != null && !COMMITMENTS.contains(commitment)) {
      validation(
          rc,
          constraint(
              commitment,
              "commitmentDuration",
              "Member must satisfy enum value set: [SixMonths, OneMonth]"));
      return;
    }
    if (modelId == null) {
      validation(rc, constraint(null, "modelId", "Member must not be null"));
      return;
    }
    if (tags == null) {
      validation(
          rc,
          "Tag keys and values must match [a-zA-Z0-9\\s._:/=+@-]*, keys 1 to 128 and values up to 256 characters.");
      return;
    }
    if (tags.size() > BedrockState.MAX_TAGS) {
      tooManyTags(rc, null);
      return;
    }
    Optional<FoundationModel> model = state.catalog.model(region, modelId);
    if (model.isEmpty()) {
      notFound(rc, "The model " + modelId + " was not found in " + region + ".");
      return;
    }
    if (!model.get().supports(BedrockCatalog.PROVISIONED)) {
      validation(
          rc,
          "The model "
              + model.get().modelId()
              + " doesn't support Provisioned Throughput. Choose a model that supports it.");
      return;
    }
    if (!allowed(rc, model.get().arn(region))) {
      return;
    }
    String request = body.copy().put("clientRequestToken", null).encode();
    Instant now = clock.instant();
    ProvisionedThroughput pt;
    synchronized (state) {
      Optional<ProvisionedThroughput> replay =
          BedrockState.replay(state.throughputs.values(), region, token);
      if (replay.isPresent()) {
        if (!replay.get().request.equals(request)) {
          validation(
              rc,
              "The clientRequestToken " + token + " was already used with different parameters.");
          return;
        }
        RestJson.ok(rc, 201, new JsonObject().put("provisionedModelArn", replay.get().arn));
        return;
      }
      if (state.throughput(region, name).isPresent()) {
        validation(rc, "A Provisioned Throughput with the name " + name + " already exists.");
        return;
      }
      int used = state.modelUnitsInUse(region, now);
      int limit = state.modelUnitLimit(region);
      if (used + units > limit) {
        RestJson.error(
            rc,
            400,
            "ServiceQuotaExceededException",
            "Your account doesn't have enough model units for this request: "
                + units
                + " requested, "
                + (limit - used)
                + " of "
                + limit
                + " available in "
                + region
                + ". Request a quota increase.");
        return;
      }
      pt =
          new ProvisionedThroughput(
              state.provisionedArn(region, BedrockState.newResourceId()),
              region,
              name,
              model.get().arn(region),
              units,
              commitment,
              commitmentEnd(now, commitment),
              now,
              token,
              request);
      pt.readyAt = now.plus(faults.operationTime(Service.BEDROCK, region, operationTime));
      pt.failed = faults.operationsFail(Service.BEDROCK, region);
      pt.tags.putAll(tags);
      state.throughputs.put(pt.arn, pt);
    }
    RestJson.ok(rc, 201, new JsonObject().put("provisionedModelArn", pt.arn));
  }

  private static Instant commitmentEnd(Instant start, String commitment) {
    if (commitment == null) {
      return null;
    }
    int months = commitment.equals("OneMonth") ? 1 : 6;
    return start.atZone(ZoneOffset.UTC).plusMonths(months).toInstant();
  }

  private Optional<ProvisionedThroughput> existingThroughput(RoutingContext rc) {
    String region = rc.pathParam("region");
    String id = rc.pathParam("id");
    Optional<ProvisionedThroughput> pt = state.throughput(region, id);
    if (pt.isEmpty()) {
      notFound(rc, "The Provisioned Throughput " + id + " was not found in " + region + ".");
      return Optional.empty();
    }
    return allowed(rc, pt.get().arn) ? pt : Optional.empty();
  }

  private void getThroughput(RoutingContext rc) {
    existingThroughput(rc).ifPresent(pt -> RestJson.ok(rc, 200, throughputJson(pt, true)));
  }

  private void updateThroughput(RoutingContext rc) {
    Optional<ProvisionedThroughput> found = existingThroughput(rc);
    if (found.isEmpty()) {
      return;
    }
    ProvisionedThroughput pt = found.get();
    String region = rc.pathParam("region");
    JsonObject body = jsonBody(rc) == null ? new JsonObject() : jsonBody(rc);
    String newName = body.getString("desiredProvisionedModelName");
    String newModel = body.getString("desiredModelId");
    Instant now = clock.instant();
    synchronized (state) {
      if (!"InService".equals(pt.status(now))) {
        validation(
            rc,
            "The Provisioned Throughput "
                + pt.arn
                + " is "
                + pt.status(now)
                + "; only a Provisioned Throughput that is InService can be updated.");
        return;
      }
      if (newName != null
          && (newName.length() > 63 || !PROVISIONED_NAME.matcher(newName).matches())) {
        validation(
            rc,
            constraint(
                newName,
                "desiredProvisionedModelName",
                "Member must satisfy regular expression pattern: ([0-9a-zA-Z][_-]?)+"));
        return;
      }
      if (newName != null && state.throughput(region, newName).filter(p -> p != pt).isPresent()) {
        validation(rc, "A Provisioned Throughput with the name " + newName + " already exists.");
        return;
      }
      String desiredArn = null;
      if (newModel != null) {
        Optional<FoundationModel> model = state.catalog.model(region, newModel);
        if (model.isEmpty() || !model.get().arn(region).equals(pt.foundationModelArn)) {
          validation(
              rc,
              "The desired model must be the base model of this Provisioned Throughput or a custom model customized from it: "
                  + pt.foundationModelArn
                  + ".");
          return;
        }
        desiredArn = model.get().arn(region);
      }
      if (newName != null) {
        pt.name = newName;
      }
      if (desiredArn != null) {
        pt.desiredModelArn = desiredArn;
        pt.updating = true;
        pt.readyAt = now.plus(faults.operationTime(Service.BEDROCK, region, operationTime));
      }
      pt.lastModifiedTime = now;
    }
    RestJson.ok(rc, 200, new JsonObject());
  }

  private void deleteThroughput(RoutingContext rc) {
    Optional<ProvisionedThroughput> found = existingThroughput(rc);
    if (found.isEmpty()) {
      return;
    }
    ProvisionedThroughput pt = found.get();
    Instant now = clock.instant();
    synchronized (state) {
      if (pt.committed(now) && !"Failed".equals(pt.status(now))) {
        RestJson.error(
            rc,
            400,
            "ConflictException",
            "The Provisioned Throughput "
                + pt.arn
                + " has a "
                + pt.commitmentDuration
                + " commitment that ends at "
                + pt.commitmentExpirationTime
                + ". You can't delete a Provisioned Throughput before the commitment term is over.");
        return;
      }
      state.throughputs.remove(pt.arn);
    }
    RestJson.ok(rc, 200, new JsonObject());
  }

  private void listThroughputs(RoutingContext rc) {
    if (!allowed(rc, "*")) {
      return;
    }
    String region = rc.pathParam("region");
    var q = rc.queryParams();
    Instant now = clock.instant();
    Predicate<ProvisionedThroughput> filter = p -> p.region.equals(region);
    if (q.get("statusEquals") != null) {
      filter = filter.and(p -> p.status(now).equals(q.get("statusEquals")));
    }
    if (q.get("modelArnEquals") != null) {
      filter = filter.and(p -> p.modelArn.equals(q.get("modelArnEquals")));
    }
    if (q.get("nameContains") != null) {
      filter = filter.and(p -> p.name.contains(q.get("nameContains")));
    }
    if (q.get("creationTimeAfter") != null) {
      Instant after = Instant.parse(q.get("creationTimeAfter"));
      filter = filter.and(p -> p.creationTime.isAfter(after));
    }
    if (q.get("creationTimeBefore") != null) {
      Instant before = Instant.parse(q.get("creationTimeBefore"));
      filter = filter.and(p -> p.creationTime.isBefore(before));
    }
    Comparator<ProvisionedThroughput> order =
        Comparator.comparing((ProvisionedThroughput p) -> p.creationTime).thenComparing(p -> p.arn);
    if (!"Ascending".equals(q.get("sortOrder"))) {
      order = order.reversed();
    }
    List<JsonObject> all;
    synchronized (state) {
      all =
          state.throughputs.values().stream()
              .filter(filter)
              .sorted(order)
              .map(p -> throughputJson(p, false))
              .toList();
    }
    page(rc, all, "provisionedModelSummaries");
  }

  private JsonObject throughputJson(ProvisionedThroughput p, boolean details) {
    String status = p.status(clock.instant());
    JsonObject json =
        new JsonObject()
            .put("provisionedModelName", p.name)
            .put("provisionedModelArn", p.arn)
            .put("modelArn", p.modelArn)
            .put("desiredModelArn", p.desiredModelArn)
            .put("foundationModelArn", p.foundationModelArn)
            .put(
                "modelUnits",
                "InService".equals(status) || "Updating".equals(status) ? p.modelUnits : 0)
            .put("desiredModelUnits", p.modelUnits)
            .put("status", status)
            .put("commitmentDuration", p.commitmentDuration)
            .put(
                "commitmentExpirationTime",
                p.commitmentExpirationTime == null ? null : p.commitmentExpirationTime.toString())
            .put("creationTime", p.creationTime.toString())
            .put("lastModifiedTime", p.lastModifiedTime.toString());
    if (details && "Failed".equals(status)) {
      json.put(
          "failureMessage", "The Provisioned Throughput could not be created (injected failure).");
    }
    return json;
  }

  // ---- tags ----------------------------------------------------------------------------------

  private Optional<Map<String, String>> taggable(RoutingContext rc, JsonObject body) {
    String region = rc.pathParam("region");
    String arn = body == null ? null : body.getString("resourceARN");
    if (arn == null) {
      validation(rc, constraint(null, "resourceARN", "Member must not be null"));
      return Optional.empty();
    }
    Optional<Map<String, String>> tags = state.tagsOf(region, arn);
    if (tags.isEmpty()) {
      notFound(rc, "The resource " + arn + " was not found in " + region + ".");
      return Optional.empty();
    }
    return allowed(rc, arn) ? tags : Optional.empty();
  }

  private void tagResource(RoutingContext rc) {
    JsonObject body = jsonBody(rc);
    Optional<Map<String, String>> existing = taggable(rc, body);
    if (existing.isEmpty()) {
      return;
    }
    Map<String, String> added = tags(body.getJsonArray("tags"));
    if (added == null) {
      validation(
          rc,
          "Tag keys and values must match [a-zA-Z0-9\\s._:/=+@-]*, keys 1 to 128 and values up to 256 characters.");
      return;
    }
    synchronized (state) {
      Map<String, String> merged = new LinkedHashMap<>(existing.get());
      merged.putAll(added);
      if (merged.size() > BedrockState.MAX_TAGS) {
        tooManyTags(rc, body.getString("resourceARN"));
        return;
      }
      existing.get().putAll(added);
    }
    RestJson.ok(rc, 200, new JsonObject());
  }

  private void untagResource(RoutingContext rc) {
    JsonObject body = jsonBody(rc);
    Optional<Map<String, String>> existing = taggable(rc, body);
    if (existing.isPresent()) {
      synchronized (state) {
        body.getJsonArray("tagKeys", new JsonArray())
            .forEach(k -> existing.get().remove(String.valueOf(k)));
      }
      RestJson.ok(rc, 200, new JsonObject());
    }
  }

  private void listTags(RoutingContext rc) {
    taggable(rc, jsonBody(rc))
        .ifPresent(
            tags -> {
              JsonArray out = new JsonArray();
              synchronized (state) {
                tags.forEach((k, v) -> out.add(new JsonObject().put("key", k).put("value", v)));
              }
              RestJson.ok(rc, 200, new JsonObject().put("tags", out));
            });
  }

  private static void tooManyTags(RoutingContext rc, String resource) {
    RestJson.error(
        rc,
        400,
        "TooManyTagsException",
        RestJson.compact(
            new JsonObject()
                .put(
                    "message",
                    "The request contains more tags than can be associated with a resource (50 tags per resource).")
                .put("resourceName", resource)));
  }

  /** Tags from a TagList, or null when one breaks the TagKey / TagValue constraints. */
  private static Map<String, String> tags(JsonArray list) {
    Map<String, String> out = new LinkedHashMap<>();
    if (list == null) {
      return out;
    }
    for (Object o : list) {
      JsonObject tag = (JsonObject) o;
      String key = tag.getString("key");
      String value = tag.getString("value");
      if (key == null
          || value == null
          || key.isEmpty()
          || key.length() > 128
          || value.length() > 256
          || !TAG_TEXT.matcher(key).matches()
          || !TAG_TEXT.matcher(value).matches()) {
        return null;
      }
      out.put(key, value);
    }
    return out;
  }

  // ---- paging --------------------------------------------------------------------------------

  /** Sends one page of a listing: maxResults (1 to 1000) items from the offset in nextToken. */
  private static void page(RoutingContext rc, List<JsonObject> all, String member) {
    int max;
    int from;
    try {
      String maxResults = rc.queryParams().get("maxResults");
      max = maxResults == null ? 1000 : Integer.parseInt(maxResults);
      String token = rc.queryParams().get("nextToken");
      from =
          token == null
              ? 0
              : Integer.parseInt(
                  new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      validation(rc, "Invalid maxResults or nextToken.");
      return;
    }
    if (max < 1 || max > 1000 || from < 0 || from > all.size()) {
      validation(rc, "Invalid maxResults or nextToken.");
      return;
    }
    int to = Math.min(all.size(), from + max);
    JsonObject out = new JsonObject().put(member, new JsonArray(all.subList(from, to)));
    if (to < all.size()) {
      out.put(
          "nextToken",
          Base64.getEncoder()
              .encodeToString(Integer.toString(to).getBytes(StandardCharsets.UTF_8)));
    }
    RestJson.ok(rc, 200, out);
  }

  @Override
  protected void sendError(
      RoutingContext rc, int status, String code, String message, long retryAfterSeconds) {
    RestJson.error(rc, status, RestJson.exceptionFor(code), message);
  }

  /** Bedrock's answer over a request-rate quota: 429 ThrottlingException, no Retry-After. */
  @Override
  protected void sendLimited(
      RoutingContext rc, String operation, ManagementLimits.Verdict verdict) {
    RestJson.error(
        rc,
        429,
        "ThrottlingException",
        "The number of requests exceeds the limit. Resubmit your request later.");
  }
}
