package io.crosswind.simulators.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.SimulatorsExtension;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.BedrockException;
import software.amazon.awssdk.services.bedrock.model.CommitmentDuration;
import software.amazon.awssdk.services.bedrock.model.ConflictException;
import software.amazon.awssdk.services.bedrock.model.FoundationModelLifecycleStatus;
import software.amazon.awssdk.services.bedrock.model.FoundationModelSummary;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileModelSource;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileType;
import software.amazon.awssdk.services.bedrock.model.InferenceType;
import software.amazon.awssdk.services.bedrock.model.ModelModality;
import software.amazon.awssdk.services.bedrock.model.ProvisionedModelStatus;
import software.amazon.awssdk.services.bedrock.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrock.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.bedrock.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrock.model.Tag;
import software.amazon.awssdk.services.bedrock.model.TooManyTagsException;
import software.amazon.awssdk.services.bedrock.model.ValidationException;

/**
 * The Bedrock control plane (API 2023-04-20) driven by the real BedrockClient 2.50.2: foundation
 * models, inference profiles, Provisioned Throughput with its long-running states, idempotency,
 * commitments and quota, tags, SigV4 rejections and injected faults.
 */
class BedrockControlPlaneConformanceTest {

  static final String REGION = "us-east-1";
  static final String PT_MODEL = "amazon.nova-pro-v1:0:300k";
  static final String SONNET = "anthropic.claude-sonnet-4-5-20250929-v1:0";

  @RegisterExtension static SimulatorsExtension clouds = SimulatorsExtension.withDefaults();

  static Simulators sim;
  static BedrockClient bedrock;

  @BeforeAll
  static void start() {
    sim = clouds.get();
    sim.bedrock().setModelUnitLimit(REGION, 1000);
    bedrock = AwsClients.bedrock(sim, REGION, AwsClients.user(sim));
  }

  @Test
  void listsTheRegionsFoundationModelsWithFilters() {
    List<String> openAi =
        bedrock.listFoundationModels(r -> r.byProvider("openai")).modelSummaries().stream()
            .map(FoundationModelSummary::modelId)
            .toList();
    List<String> provisioned =
        bedrock
            .listFoundationModels(r -> r.byInferenceType(InferenceType.PROVISIONED))
            .modelSummaries()
            .stream()
            .map(FoundationModelSummary::modelId)
            .toList();
    List<String> embeddings =
        bedrock
            .listFoundationModels(r -> r.byOutputModality(ModelModality.EMBEDDING))
            .modelSummaries()
            .stream()
            .map(FoundationModelSummary::modelId)
            .toList();

    assertThat(openAi)
        .containsExactlyInAnyOrder(
            "openai.gpt-5.4", "openai.gpt-oss-120b-1:0", "openai.gpt-oss-20b-1:0");
    assertThat(provisioned).containsExactlyInAnyOrder("openai.gpt-5.4", PT_MODEL);
    assertThat(embeddings).containsExactly("amazon.titan-embed-text-v2:0");
    FoundationModelSummary sonnet =
        bedrock.listFoundationModels(r -> r.byProvider("Anthropic")).modelSummaries().stream()
            .filter(m -> m.modelId().equals(SONNET))
            .findFirst()
            .orElseThrow();
    assertThat(sonnet.inferenceTypesSupportedAsStrings()).containsExactly("INFERENCE_PROFILE");
    assertThat(sonnet.modelArn())
        .isEqualTo("arn:aws:bedrock:us-east-1::foundation-model/" + SONNET);
  }

  @Test
  void reportsLifecycleAndRefusesUnknownModels() {
    var legacy =
        bedrock.getFoundationModel(
            r -> r.modelIdentifier("anthropic.claude-3-sonnet-20240229-v1:0"));
    assertThat(legacy.modelDetails().modelLifecycle().status())
        .isEqualTo(FoundationModelLifecycleStatus.LEGACY);

    var missing =
        catchThrowableOfType(
            ResourceNotFoundException.class,
            () -> bedrock.getFoundationModel(r -> r.modelIdentifier("openai.gpt-9-1:0")));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.requestId()).isNotBlank();

    var notInRegion =
        catchThrowableOfType(
            ResourceNotFoundException.class,
            () ->
                AwsClients.bedrock(sim, "eu-west-1", AwsClients.user(sim))
                    .getFoundationModel(r -> r.modelIdentifier(PT_MODEL)));
    assertThat(notInRegion).isNotNull();
  }

  @Test
  void aLegacyModelStaysUsableOnlyForAnAccountThatHasBeenUsingIt() {
    String region = "us-east-2";
    String legacy = "anthropic.claude-3-sonnet-20240229-v1:0";
    BedrockClient bedrock2 = AwsClients.bedrock(sim, region, AwsClients.user(sim));
    String modelArn = "arn:aws:bedrock:" + region + "::foundation-model/" + legacy;

    var refused =
        catchThrowableOfType(
            ValidationException.class,
            () ->
                bedrock2.createInferenceProfile(
                    r ->
                        r.inferenceProfileName("legacy-unused")
                            .modelSource(InferenceProfileModelSource.fromCopyFrom(modelArn))));
    sim.bedrock().recordRecentUse(region, legacy);
    var profile =
        bedrock2.createInferenceProfile(
            r ->
                r.inferenceProfileName("legacy-in-use")
                    .modelSource(InferenceProfileModelSource.fromCopyFrom(modelArn)));
    var reply =
        AwsClients.runtime(sim, region, AwsClients.user(sim))
            .converse(
                r ->
                    r.modelId(profile.inferenceProfileArn())
                        .messages(BedrockRuntimeConformanceTest.user("still here"))
                        .inferenceConfig(c -> c.maxTokens(10)));

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(reply.usage().outputTokens()).isPositive();
  }

  @Test
  void createsApplicationProfilesIdempotentlyAndListsThemByType() {
    String systemArn =
        "arn:aws:bedrock:us-east-1:"
            + sim.credentials().awsAccountId()
            + ":inference-profile/us."
            + SONNET;
    var first =
        bedrock.createInferenceProfile(
            r ->
                r.inferenceProfileName("team-a-sonnet")
                    .clientRequestToken("token-profile-1")
                    .modelSource(InferenceProfileModelSource.fromCopyFrom(systemArn))
                    .tags(Tag.builder().key("team").value("a").build()));
    var replay =
        bedrock.createInferenceProfile(
            r ->
                r.inferenceProfileName("team-a-sonnet")
                    .clientRequestToken("token-profile-1")
                    .modelSource(InferenceProfileModelSource.fromCopyFrom(systemArn))
                    .tags(Tag.builder().key("team").value("a").build()));
    var changed =
        catchThrowableOfType(
            ConflictException.class,
            () ->
                bedrock.createInferenceProfile(
                    r ->
                        r.inferenceProfileName("team-b-sonnet")
                            .clientRequestToken("token-profile-1")
                            .modelSource(InferenceProfileModelSource.fromCopyFrom(systemArn))));

    assertThat(replay.inferenceProfileArn()).isEqualTo(first.inferenceProfileArn());
    assertThat(first.inferenceProfileArn())
        .startsWith(
            "arn:aws:bedrock:us-east-1:"
                + sim.credentials().awsAccountId()
                + ":application-inference-profile/");
    assertThat(changed.statusCode()).isEqualTo(400);
    var profile =
        bedrock.getInferenceProfile(r -> r.inferenceProfileIdentifier(first.inferenceProfileArn()));
    assertThat(profile.typeAsString()).isEqualTo("APPLICATION");
    assertThat(profile.models()).hasSize(3);
    assertThat(bedrock.listTagsForResource(r -> r.resourceARN(first.inferenceProfileArn())).tags())
        .containsExactly(Tag.builder().key("team").value("a").build());
    assertThat(
            bedrock
                .listInferenceProfiles(r -> r.typeEquals(InferenceProfileType.APPLICATION))
                .inferenceProfileSummaries())
        .extracting(p -> p.inferenceProfileArn())
        .contains(first.inferenceProfileArn());
    assertThat(
            bedrock
                .listInferenceProfiles(r -> r.typeEquals(InferenceProfileType.SYSTEM_DEFINED))
                .inferenceProfileSummaries())
        .extracting(p -> p.inferenceProfileId())
        .contains("us." + SONNET)
        .doesNotContain("eu." + SONNET);

    bedrock.deleteInferenceProfile(r -> r.inferenceProfileIdentifier(first.inferenceProfileArn()));
    assertThat(
            catchThrowableOfType(
                ResourceNotFoundException.class,
                () ->
                    bedrock.getInferenceProfile(
                        r -> r.inferenceProfileIdentifier(first.inferenceProfileArn()))))
        .isNotNull();
  }

  @Test
  void refusesAProfileOfAModelServedOnlyThroughProfiles() {
    var refused =
        catchThrowableOfType(
            ValidationException.class,
            () ->
                bedrock.createInferenceProfile(
                    r ->
                        r.inferenceProfileName("direct-sonnet")
                            .modelSource(
                                InferenceProfileModelSource.fromCopyFrom(
                                    "arn:aws:bedrock:us-east-1::foundation-model/" + SONNET))));
    assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
  }

  @Test
  void aRetriedPurchaseWithTheSameTokenBuysOnce() {
    int before = sim.bedrock().provisionedThroughputArns(REGION).size();
    var first = buy("pt-idempotent", 1, null, "token-pt-1");
    var retry = buy("pt-idempotent", 1, null, "token-pt-1");
    var differentParameters =
        catchThrowableOfType(
            ValidationException.class, () -> buy("pt-idempotent", 2, null, "token-pt-1"));

    assertThat(retry).isEqualTo(first);
    assertThat(differentParameters.statusCode()).isEqualTo(400);
    assertThat(sim.calls().count(Service.BEDROCK, "CreateProvisionedModelThroughput")).isEqualTo(3);
    assertThat(sim.bedrock().provisionedThroughputArns(REGION)).hasSize(before + 1).contains(first);
  }

  @Test
  void aPurchaseIsCreatingThenInService() {
    sim.faults().add(Fault.slowOperations(Service.BEDROCK, REGION, Duration.ofSeconds(2)));
    String arn = buy("pt-lro", 1, null, "token-pt-lro");

    var creating = bedrock.getProvisionedModelThroughput(r -> r.provisionedModelId(arn));
    assertThat(creating.status()).isEqualTo(ProvisionedModelStatus.CREATING);
    assertThat(creating.desiredModelUnits()).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                bedrock.getProvisionedModelThroughput(r -> r.provisionedModelId("pt-lro")).status(),
            s -> s == ProvisionedModelStatus.IN_SERVICE);
    assertThat(bedrock.getProvisionedModelThroughput(r -> r.provisionedModelId(arn)).modelUnits())
        .isEqualTo(1);
  }

  @Test
  void aFailedPurchaseReportsWhy() {
    sim.faults().add(Fault.failedOperations(Service.BEDROCK, REGION));
    sim.faults().add(Fault.slowOperations(Service.BEDROCK, REGION, Duration.ZERO));
    String arn = buy("pt-failing", 1, null, "token-pt-fail");

    var failed = bedrock.getProvisionedModelThroughput(r -> r.provisionedModelId(arn));
    assertThat(failed.status()).isEqualTo(ProvisionedModelStatus.FAILED);
    assertThat(failed.failureMessage()).isNotBlank();
  }

  @Test
  void aCommittedThroughputCannotBeDeletedButAnUncommittedOneCan() {
    sim.faults().add(Fault.slowOperations(Service.BEDROCK, REGION, Duration.ZERO));
    String committed = buy("pt-committed", 1, CommitmentDuration.ONE_MONTH, "token-pt-committed");
    String hourly = buy("pt-hourly", 1, null, "token-pt-hourly");

    var refused =
        catchThrowableOfType(
            ConflictException.class,
            () -> bedrock.deleteProvisionedModelThroughput(r -> r.provisionedModelId(committed)));
    bedrock.deleteProvisionedModelThroughput(r -> r.provisionedModelId(hourly));

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(
            bedrock
                .getProvisionedModelThroughput(r -> r.provisionedModelId(committed))
                .commitmentExpirationTime())
        .isNotNull();
    assertThat(
            catchThrowableOfType(
                ResourceNotFoundException.class,
                () -> bedrock.getProvisionedModelThroughput(r -> r.provisionedModelId(hourly))))
        .isNotNull();
  }

  @Test
  void anUpdateRenamesAndIsUpdatingUntilDone() {
    sim.faults().add(Fault.slowOperations(Service.BEDROCK, REGION, Duration.ZERO));
    String arn = buy("pt-update", 1, null, "token-pt-update");
    sim.faults().clear();
    sim.faults().add(Fault.slowOperations(Service.BEDROCK, REGION, Duration.ofSeconds(2)));

    bedrock.updateProvisionedModelThroughput(
        r ->
            r.provisionedModelId(arn)
                .desiredProvisionedModelName("pt-renamed")
                .desiredModelId(PT_MODEL));
    var otherModel =
        catchThrowableOfType(
            ValidationException.class,
            () ->
                bedrock.updateProvisionedModelThroughput(
                    r -> r.provisionedModelId(arn).desiredModelId("amazon.nova-pro-v1:0")));

    var updating = bedrock.getProvisionedModelThroughput(r -> r.provisionedModelId("pt-renamed"));
    assertThat(updating.status()).isEqualTo(ProvisionedModelStatus.UPDATING);
    assertThat(otherModel).isNotNull();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> bedrock.getProvisionedModelThroughput(r -> r.provisionedModelId(arn)).status(),
            s -> s == ProvisionedModelStatus.IN_SERVICE);
    assertThat(
            bedrock
                .listProvisionedModelThroughputs(r -> r.nameContains("renamed"))
                .provisionedModelSummaries())
        .extracting(p -> p.provisionedModelArn())
        .containsExactly(arn);
  }

  @Test
  void refusesPurchasesBeyondTheRegionsModelUnits() {
    sim.bedrock()
        .setModelUnitLimit(
            REGION, sim.bedrock().modelUnitsInUse(REGION, java.time.Instant.now()) + 1);
    try {
      var refused =
          catchThrowableOfType(
              ServiceQuotaExceededException.class,
              () -> buy("pt-too-big", 2, null, "token-pt-big"));
      var unsupported =
          catchThrowableOfType(
              ValidationException.class,
              () ->
                  bedrock.createProvisionedModelThroughput(
                      r ->
                          r.provisionedModelName("pt-gpt")
                              .modelId("openai.gpt-oss-120b-1:0")
                              .modelUnits(1)));
      var unknown =
          catchThrowableOfType(
              ResourceNotFoundException.class,
              () ->
                  bedrock.createProvisionedModelThroughput(
                      r ->
                          r.provisionedModelName("pt-unknown")
                              .modelId("openai.gpt-9-1:0")
                              .modelUnits(1)));

      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(unsupported).isNotNull();
      assertThat(unknown).isNotNull();
    } finally {
      sim.bedrock().setModelUnitLimit(REGION, 1000);
    }
  }

  @Test
  void tagsAreAddedRemovedAndLimited() {
    sim.faults().add(Fault.slowOperations(Service.BEDROCK, REGION, Duration.ZERO));
    String arn = buy("pt-tags", 1, null, "token-pt-tags");

    bedrock.tagResource(
        r -> r.resourceARN(arn).tags(tag("owner", "crosswind"), tag("env", "test")));
    bedrock.untagResource(r -> r.resourceARN(arn).tagKeys("env"));
    List<Tag> many = IntStream.range(0, 50).mapToObj(i -> tag("k" + i, "v")).toList();
    var tooMany =
        catchThrowableOfType(
            TooManyTagsException.class,
            () -> bedrock.tagResource(r -> r.resourceARN(arn).tags(many)));

    assertThat(bedrock.listTagsForResource(r -> r.resourceARN(arn)).tags())
        .containsExactly(tag("owner", "crosswind"));
    assertThat(tooMany.resourceName()).isEqualTo(arn);
  }

  @Test
  void rejectsRequestsNotSignedByAKnownKey() {
    var wrongSecret =
        AwsClients.bedrock(
            sim,
            REGION,
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(sim.credentials().awsAccessKeyId(), "not-the-secret")));
    var unknownKey =
        AwsClients.bedrock(
            sim,
            REGION,
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIAUNKNOWN0000000", "x")));

    var badSignature =
        catchThrowableOfType(
            BedrockException.class, () -> wrongSecret.listFoundationModels(r -> {}));
    var unrecognized =
        catchThrowableOfType(
            BedrockException.class, () -> unknownKey.listFoundationModels(r -> {}));

    assertThat(badSignature.statusCode()).isEqualTo(403);
    assertThat(badSignature.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
    assertThat(unrecognized.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
  }

  @Test
  void anOutageInTheRegionIsServiceUnavailableAndThrottlingIsRetried() {
    sim.faults().add(Fault.outage(Service.BEDROCK, REGION));
    var outage =
        catchThrowableOfType(
            ServiceUnavailableException.class, () -> bedrock.listFoundationModels(r -> {}));
    assertThat(outage.statusCode()).isEqualTo(503);
    sim.faults().clear();
    assertThat(bedrock.listFoundationModels(r -> {}).modelSummaries()).isNotEmpty();

    sim.faults().add(Fault.throttle(Service.BEDROCK, REGION, 0.5, Duration.ofMillis(10)));
    long before = sim.calls().count(Service.BEDROCK, "ListFoundationModels");
    assertThat(bedrock.listFoundationModels(r -> {}).modelSummaries()).isNotEmpty();
    assertThat(bedrock.listFoundationModels(r -> {}).modelSummaries()).isNotEmpty();
    assertThat(sim.calls().count(Service.BEDROCK, "ListFoundationModels") - before)
        .as("every other call is throttled and the SDK retries it")
        .isEqualTo(4);
  }

  private static String buy(String name, int units, CommitmentDuration commitment, String token) {
    return bedrock
        .createProvisionedModelThroughput(
            r ->
                r.provisionedModelName(name)
                    .modelId(PT_MODEL)
                    .modelUnits(units)
                    .commitmentDuration(commitment)
                    .clientRequestToken(token))
        .provisionedModelArn();
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }
}
