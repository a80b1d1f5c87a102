package io.crosswind.operator.cloud.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.operator.cloud.Credential;
import io.crosswind.operator.cloud.Owner;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.cloud.TargetRequest;
import io.crosswind.operator.cloud.Upstream;
import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.SimulatorsExtension;
import io.crosswind.simulators.bedrock.AwsIdentities;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import io.crosswind.testing.Fixtures;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.TrustManager;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileModelSource;
import software.amazon.awssdk.services.bedrock.model.Tag;

/**
 * The Bedrock provider against the simulated Bedrock control plane, STS and runtime, with the real
 * AWS SDK clients: what it creates and buys, what it publishes, and what it never touches.
 */
class BedrockTargetProviderTest {

  static final String REGION = "us-east-1";
  static final String GPT_20B = "openai.gpt-oss-20b-1:0";
  static final String GPT_120B = "openai.gpt-oss-120b-1:0";
  static final String SONNET = "anthropic.claude-sonnet-4-5-20250929-v1:0";
  static final String LEGACY = "anthropic.claude-3-sonnet-20240229-v1:0";
  static final String PT_MODEL = "amazon.nova-pro-v1:0:300k";

  @RegisterExtension
  static SimulatorsExtension clouds =
      SimulatorsExtension.with(
          Simulators.Options.defaults().withOperationTime(Duration.ofMillis(300)));

  static Simulators sim;
  static SdkHttpClient http;
  static HttpClient dataPlane;
  static BedrockClient bedrock;
  static String role;

  @BeforeAll
  static void clients() {
    sim = clouds.get();
    http =
        Apache5HttpClient.builder()
            .tlsTrustManagersProvider(() -> new TrustManager[] {sim.certificates().trustManager()})
            .build();
    dataPlane = HttpClient.newBuilder().sslContext(sim.certificates().clientSslContext()).build();
    bedrock =
        BedrockClient.builder()
            .endpointOverride(URI.create(sim.bedrockEndpoint(REGION)))
            .region(Region.of(REGION))
            .credentialsProvider(user())
            .httpClient(http)
            .build();
    role = "arn:aws:iam::" + sim.credentials().awsAccountId() + ":role/crosswind-bedrock";
  }

  static final String WRONG_SECRET = "s3cr3t-that-must-not-leak";

  /** A credentials Secret with the test user's access key id and this secret access key. */
  static Map<String, String> secret(String secretAccessKey) {
    return Map.of(
        "AWS_ACCESS_KEY_ID",
        sim.credentials().awsAccessKeyId(),
        "AWS_SECRET_ACCESS_KEY",
        secretAccessKey);
  }

  static StaticCredentialsProvider user() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(
            sim.credentials().awsAccessKeyId(), sim.credentials().awsSecretAccessKey()));
  }

  static BedrockSettings settings(String defaultRole, Clock clock) {
    return settings(defaultRole, clock, user());
  }

  static BedrockSettings settings(
      String defaultRole, Clock clock, AwsCredentialsProvider baseCredentials) {
    return new BedrockSettings(
        sim.endpoint(Service.BEDROCK) + "/{region}",
        sim.endpoint(Service.BEDROCK_RUNTIME) + "/{region}",
        sim.endpoint(Service.BEDROCK_MANTLE) + "/{region}",
        sim.stsEndpoint(),
        defaultRole,
        http,
        dataPlane,
        baseCredentials,
        clock,
        Duration.ofHours(1),
        0.5,
        Duration.ofSeconds(10),
        2);
  }

  static BedrockTargetProvider provider() {
    return new BedrockTargetProvider(settings(role, Clock.systemUTC()));
  }

  static TargetRequest request(String endpoint, String bedrockYaml) {
    return request(endpoint, bedrockYaml, Map.of());
  }

  static TargetRequest request(String endpoint, String bedrockYaml, Map<String, String> secret) {
    String yaml =
        """
        model: m
        targets:
          - name: bedrock-use1
            bedrock: %s
        """
            .formatted(bedrockYaml);
    return new TargetRequest(
        new Owner("test-cluster", "payments", endpoint),
        Fixtures.endpointSpec(yaml).getTargets().get(0),
        secret);
  }

  static String onDemand(String model) {
    return "{region: " + REGION + ", modelId: " + model + "}";
  }

  static String provisioned(int units, String commitment) {
    return "{region: "
        + REGION
        + ", modelId: "
        + PT_MODEL
        + ", throughput: {mode: Provisioned, modelUnits: "
        + units
        + (commitment == null ? "" : ", commitment: " + commitment)
        + "}}";
  }

  static TargetObservation untilSettled(BedrockTargetProvider provider, TargetRequest request) {
    return until(() -> provider.reconcile(request), o -> o.state() != TargetState.Provisioning);
  }

  static TargetObservation untilDeleted(BedrockTargetProvider provider, TargetRequest request) {
    return until(() -> provider.delete(request), TargetObservation::deleted);
  }

  /** Calls the provider as the reconciler would, until it reports what the test waits for. */
  static TargetObservation until(
      Supplier<TargetObservation> call, Predicate<TargetObservation> done) {
    AtomicReference<TargetObservation> last = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              last.set(call.get());
              return done.test(last.get());
            });
    return last.get();
  }

  /** An OpenAI-compatible chat completion against the simulated runtime with a bearer key. */
  static HttpResponse<String> chat(Upstream upstream, String model, Credential key)
      throws Exception {
    return dataPlane.send(
        HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/chat/completions"))
            .header("content-type", "application/json")
            .header("authorization", "Bearer " + key.value())
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\""
                        + model
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"max_tokens\":5}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Probes with the key; the probe's message explains a failure. */
  static void healthy(BedrockTargetProvider provider, Upstream upstream, Credential key) {
    var result = provider.probe(upstream, key, Duration.ofSeconds(5));
    assertThat(result.health()).as(result.message()).isEqualTo(TargetHealth.Healthy);
  }

  /** Deletes both targets until done, and checks that their profile and throughput are gone. */
  static void deletedAndGone(
      BedrockTargetProvider provider,
      TargetRequest onDemand,
      String profile,
      TargetRequest provisioned,
      String throughput) {
    assertThat(untilDeleted(provider, onDemand).reason()).isEqualTo("Deleted");
    assertThat(untilDeleted(provider, provisioned).reason()).isEqualTo("Deleted");
    assertThat(sim.bedrock().provisionedThroughputArns(REGION)).doesNotContain(throughput);
    assertThat(
            bedrock
                .listInferenceProfiles(r -> r.typeEquals("APPLICATION"))
                .inferenceProfileSummaries())
        .extracting(p -> p.inferenceProfileArn())
        .doesNotContain(profile);
  }

  /** An application inference profile made outside Crosswind, of a foundation model. */
  static String profileOf(String name, String model, Tag tag) {
    return bedrock
        .createInferenceProfile(
            r ->
                r.inferenceProfileName(name)
                    .modelSource(
                        InferenceProfileModelSource.fromCopyFrom(
                            "arn:aws:bedrock:" + REGION + "::foundation-model/" + model))
                    .tags(tag))
        .inferenceProfileArn();
  }

  static Map<String, String> tags(String arn) {
    Map<String, String> out = new HashMap<>();
    bedrock
        .listTagsForResource(r -> r.resourceARN(arn))
        .tags()
        .forEach(t -> out.put(t.key(), t.value()));
    return out;
  }

  @Test
  void anOnDemandTargetGetsATaggedProfileAnOpenAiUpstreamAndAKeyThatServesIt() {
    BedrockTargetProvider provider = provider();
    TargetRequest request = request("chat", onDemand(GPT_20B));

    TargetObservation first = provider.reconcile(request);
    TargetObservation ready = untilSettled(provider, request);

    assertThat(first.state()).isEqualTo(TargetState.Provisioning);
    assertThat(first.reason()).isEqualTo("ProfileCreating");
    assertThat(first.events()).extracting(e -> e.reason()).containsExactly("ProfileCreating");
    assertThat(ready.state()).isEqualTo(TargetState.Ready);
    assertThat(ready.resourceId()).contains(":application-inference-profile/");
    assertThat(tags(ready.resourceId()))
        .containsEntry("crosswind.io/owner", "test-cluster/payments/chat");
    assertThat(ready.details().modelLifecycle()).isEqualTo("ACTIVE");
    Upstream upstream = ready.upstream();
    assertThat(upstream.api()).isEqualTo(Upstream.Api.OPENAI);
    assertThat(upstream.baseUrl()).isEqualTo(sim.bedrockRuntimeEndpoint(REGION) + "/openai/v1");
    assertThat(upstream.model()).isEqualTo(ready.resourceId());
    assertThat(upstream.region()).isEqualTo(REGION);
    Credential key = ready.credential();
    assertThat(key.name()).isEqualTo("bedrock-api-key");
    assertThat(key.scheme()).isEqualTo(Credential.Scheme.BEARER);
    assertThat(key.value()).startsWith("bedrock-api-key-");
    assertThat(Duration.between(key.publishedAt(), key.expiresAt()))
        .isPositive()
        .isLessThanOrEqualTo(Duration.ofHours(1));
    assertThat(ready.recheckAfter())
        .isLessThanOrEqualTo(Duration.between(key.publishedAt(), key.expiresAt()).dividedBy(2));
    healthy(provider, upstream, key);

    sim.calls().reset();
    TargetObservation steady = provider.reconcile(request.withPublished(key));
    assertThat(steady.credential()).isEqualTo(key);
    assertThat(steady.state()).isEqualTo(TargetState.Ready);
    assertThat(sim.calls().mutating()).as(sim.calls().snapshot().toString()).isZero();
  }

  @Test
  void aMantleTargetIsPublishedOnTheMantleEndpointWhereItsKeyServesIt() throws Exception {
    BedrockTargetProvider provider = provider();
    TargetObservation ready =
        untilSettled(
            provider,
            request(
                "mantle",
                "{region: " + REGION + ", modelId: " + GPT_20B + ", openAiEndpoint: Mantle}"));

    assertThat(ready.state()).as(ready.message()).isEqualTo(TargetState.Ready);
    assertThat(ready.upstream().api()).isEqualTo(Upstream.Api.OPENAI);
    assertThat(ready.upstream().baseUrl()).isEqualTo(sim.bedrockMantleEndpoint(REGION) + "/v1");
    long before = sim.calls().count(Service.BEDROCK_MANTLE, "ChatCompletions");
    healthy(provider, ready.upstream(), ready.credential());
    HttpResponse<String> answer =
        chat(ready.upstream(), ready.upstream().model(), ready.credential());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).contains("bedrock-mantle/" + REGION);
    assertThat(sim.calls().count(Service.BEDROCK_MANTLE, "ChatCompletions") - before)
        .as("the probe and the request went to Mantle")
        .isEqualTo(2);

    TargetObservation converse =
        provider.reconcile(
            request(
                "mantle-claude",
                "{region: "
                    + REGION
                    + ", modelId: "
                    + SONNET
                    + ", crossRegion: us, openAiEndpoint: Mantle}"));
    assertThat(converse.state()).isEqualTo(TargetState.Failed);
    assertThat(converse.reason()).isEqualTo("MantleNeedsOpenAiModel");
    assertThat(converse.message()).contains(SONNET).contains("remove openAiEndpoint: Mantle");
    assertThat(converse.resourceId()).as("nothing was created").isNull();
  }

  @Test
  void theKeyInvokesOnlyItsTargetsModel() throws Exception {
    BedrockTargetProvider provider = provider();
    TargetObservation ready = untilSettled(provider, request("scoped", onDemand(GPT_20B)));

    HttpResponse<String> own = chat(ready.upstream(), ready.upstream().model(), ready.credential());
    HttpResponse<String> other = chat(ready.upstream(), GPT_120B, ready.credential());
    HttpResponse<String> sameModelDirectly = chat(ready.upstream(), GPT_20B, ready.credential());

    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.body()).contains("bedrock:InvokeModel").contains(GPT_120B);
    assertThat(sameModelDirectly.statusCode())
        .as("the profile's foundation model is in scope too: IAM asks for it behind a profile")
        .isEqualTo(200);
  }

  @Test
  void aCrossRegionAnthropicTargetIsServedThroughConverseAndProbedWithItsKey() {
    BedrockTargetProvider provider = provider();
    TargetObservation ready =
        untilSettled(
            provider,
            request(
                "sonnet", "{region: " + REGION + ", modelId: " + SONNET + ", crossRegion: us}"));

    assertThat(ready.state()).as(ready.message()).isEqualTo(TargetState.Ready);
    assertThat(ready.upstream().api()).isEqualTo(Upstream.Api.BEDROCK_CONVERSE);
    assertThat(ready.upstream().baseUrl()).isEqualTo(sim.bedrockRuntimeEndpoint(REGION));
    assertThat(
            bedrock
                .getInferenceProfile(r -> r.inferenceProfileIdentifier(ready.resourceId()))
                .models())
        .hasSize(3);
    healthy(provider, ready.upstream(), ready.credential());

    sim.faults().add(Fault.throttle(Service.BEDROCK_RUNTIME, REGION, 1.0, Duration.ofSeconds(1)));
    var throttled = provider.probe(ready.upstream(), ready.credential(), Duration.ofSeconds(5));
    assertThat(throttled.health()).isEqualTo(TargetHealth.Throttled);
    assertThat(throttled.message()).contains("request id");
    assertThat(sim.calls().count(Service.BEDROCK_RUNTIME, "Converse"))
        .as("a probe is one request, never retried")
        .isEqualTo(2);
  }

  @Test
  void unknownModelsRegionsAndModesFailWithAReasonAPersonCanActOnAndCreateNothing() {
    BedrockTargetProvider provider = provider();

    TargetObservation unknown = provider.reconcile(request("x1", onDemand("openai.gpt-9-1:0")));
    TargetObservation region =
        provider.reconcile(request("x2", "{region: ap-south-1, modelId: " + GPT_20B + "}"));
    TargetObservation embeddings =
        provider.reconcile(request("x3", onDemand("amazon.titan-embed-text-v2:0")));
    TargetObservation needsProfile = provider.reconcile(request("x4", onDemand(SONNET)));
    TargetObservation notProvisionable =
        provider.reconcile(
            request(
                "x5",
                "{region: "
                    + REGION
                    + ", modelId: "
                    + GPT_20B
                    + ", throughput: {mode: Provisioned, modelUnits: 1}}"));

    assertThat(unknown.state()).isEqualTo(TargetState.Failed);
    assertThat(unknown.reason()).isEqualTo("ModelNotAvailable");
    assertThat(unknown.message())
        .contains("openai.gpt-9-1:0")
        .contains("ListFoundationModels")
        .contains("request id");
    assertThat(region.reason()).isEqualTo("RegionNotAvailable");
    assertThat(embeddings.reason()).isEqualTo("ModelUnsupported");
    assertThat(needsProfile.reason()).isEqualTo("ThroughputModeNotSupported");
    assertThat(needsProfile.message()).contains("crossRegion");
    assertThat(notProvisionable.reason()).isEqualTo("ThroughputModeNotSupported");
    assertThat(notProvisionable.recheckAfter()).isEqualTo(BedrockErrors.CONFIGURATION);
    assertThat(sim.calls().mutating())
        .as("only the control-plane role session: " + sim.calls().snapshot())
        .isEqualTo(sim.calls().count(Service.STS, "AssumeRole"));
  }

  @Test
  void aLegacyModelIsServedWithItsLifecycleAndOneWarning() {
    sim.bedrock().recordRecentUse(REGION, LEGACY);
    BedrockTargetProvider provider = provider();
    TargetRequest request = request("legacy", onDemand(LEGACY));

    TargetObservation first = provider.reconcile(request);
    TargetObservation ready = untilSettled(provider, request);

    assertThat(first.events())
        .filteredOn(e -> e.reason().equals("ModelLegacy"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.warning()).isTrue();
              assertThat(e.message()).contains(LEGACY).contains("end of life");
            });
    assertThat(ready.state()).isEqualTo(TargetState.Ready);
    assertThat(ready.details().modelLifecycle()).isEqualTo("LEGACY");
    assertThat(ready.events()).extracting(e -> e.reason()).doesNotContain("ModelLegacy");
    assertThat(ready.upstream().api()).isEqualTo(Upstream.Api.BEDROCK_CONVERSE);
  }

  @Test
  void aProvisionedThroughputIsBoughtOnceAcrossRestartsAndWaitedForWithoutBlocking() {
    TargetRequest request = request("pt", provisioned(1, null));

    TargetObservation bought = provider().reconcile(request);
    TargetObservation afterRestart = provider().reconcile(request);
    TargetObservation ready = untilSettled(provider(), request);

    assertThat(bought.reason()).isEqualTo("ThroughputCreating");
    assertThat(bought.recheckAfter()).isPositive();
    assertThat(afterRestart.reason()).isEqualTo("ThroughputProvisioning");
    assertThat(ready.state()).as(ready.message()).isEqualTo(TargetState.Ready);
    assertThat(ready.resourceId()).isEqualTo(bought.resourceId()).contains(":provisioned-model/");
    assertThat(sim.calls().count(Service.BEDROCK, "CreateProvisionedModelThroughput")).isEqualTo(1);
    assertThat(sim.bedrock().provisionedThroughputArns(REGION))
        .containsOnlyOnce(ready.resourceId());
    assertThat(tags(ready.resourceId()))
        .containsEntry("crosswind.io/owner", "test-cluster/payments/pt");
    assertThat(ready.upstream().model()).isEqualTo(ready.resourceId());
    healthy(provider(), ready.upstream(), ready.credential());
  }

  @Test
  void aModelUnitChangeIsReportedOnceAndNeverBuysMoreCapacity() {
    BedrockTargetProvider provider = provider();
    TargetObservation ready = untilSettled(provider, request("resize", provisioned(1, null)));
    TargetRequest resized =
        request("resize", provisioned(2, null)).withPublished(ready.credential());
    sim.calls().reset();

    TargetObservation changed = provider.reconcile(resized);
    TargetObservation again = provider.reconcile(resized);

    assertThat(changed.state()).isEqualTo(TargetState.Ready);
    assertThat(changed.reason()).isEqualTo("ThroughputImmutable");
    assertThat(changed.message()).contains("modelUnits: 1 -> 2").contains("1 model unit");
    assertThat(changed.events()).singleElement().satisfies(e -> assertThat(e.warning()).isTrue());
    assertThat(again.events()).isEmpty();
    assertThat(changed.credential()).isEqualTo(ready.credential());
    assertThat(sim.calls().mutating()).as(sim.calls().snapshot().toString()).isZero();
  }

  @Test
  void aThroughputUnderCommitmentIsNotDeletedAndSaysUntilWhen() {
    BedrockTargetProvider provider = provider();
    TargetRequest request = request("committed", provisioned(1, "OneMonth"));
    untilSettled(provider, request);

    TargetObservation blocked = provider.delete(request);

    assertThat(blocked.state()).isEqualTo(TargetState.Deleting);
    assertThat(blocked.deleted()).isFalse();
    assertThat(blocked.reason()).isEqualTo("DeletionBlocked");
    Instant ends = blocked.details().commitmentEndsAt();
    assertThat(ends).isAfter(Instant.now().plus(Duration.ofDays(27)));
    assertThat(blocked.message()).contains(ends.toString()).contains("deletionPolicy: Retain");
    assertThat(blocked.recheckAfter()).isGreaterThanOrEqualTo(Duration.ofHours(1));
    assertThat(sim.calls().count(Service.BEDROCK, "DeleteProvisionedModelThroughput")).isZero();
    assertThat(sim.bedrock().provisionedThroughputArns(REGION)).contains(blocked.resourceId());
  }

  @Test
  void deletionRemovesTheProfileAndTheThroughputItMadeUntilGone() {
    BedrockTargetProvider provider = provider();
    TargetRequest onDemand = request("gone", onDemand(GPT_20B));
    TargetRequest provisioned = request("gone-pt", provisioned(1, null));
    String profile = untilSettled(provider, onDemand).resourceId();
    String throughput = untilSettled(provider, provisioned).resourceId();

    TargetObservation deletingProfile = provider.delete(onDemand);
    TargetObservation deletingThroughput = provider.delete(provisioned);

    assertThat(deletingProfile.reason()).isEqualTo("ProfileDeleting");
    assertThat(deletingProfile.recheckAfter()).isPositive();
    assertThat(deletingThroughput.reason()).isEqualTo("ThroughputDeleting");
    deletedAndGone(provider, onDemand, profile, provisioned, throughput);
  }

  @Test
  void aProfileOfTheSameNameThatIsNotOursIsNeverModifiedOrDeleted() {
    TargetRequest request = request("theirs", onDemand(GPT_20B));
    String name = BedrockTargetSpec.derivedName(request.owner(), "bedrock-use1");
    String theirs = profileOf(name, GPT_120B, Tag.builder().key("team").value("other").build());
    sim.calls().reset();

    TargetObservation notOwned = provider().reconcile(request);
    TargetObservation deleted = provider().delete(request);

    assertThat(notOwned.state()).isEqualTo(TargetState.Failed);
    assertThat(notOwned.reason()).isEqualTo("NotOwned");
    assertThat(notOwned.message()).contains(name);
    assertThat(deleted.deleted()).isTrue();
    assertThat(deleted.message()).contains("left in place");
    assertThat(sim.calls().count(Service.BEDROCK, "DeleteInferenceProfile")).isZero();
    assertThat(sim.calls().count(Service.BEDROCK, "CreateInferenceProfile")).isZero();
    assertThat(bedrock.getInferenceProfile(r -> r.inferenceProfileIdentifier(theirs))).isNotNull();
  }

  @Test
  void aProfileAndAThroughputMadeUnderTheNamesCrosswind01DerivedKeepThemAndNoSecondIsMade() {
    TargetRequest onDemand = request("old-od", onDemand(GPT_20B));
    TargetRequest provisioned = request("old-pt", provisioned(1, null));
    String profileName = BedrockTargetSpec.legacyDerivedName(onDemand.owner(), "bedrock-use1");
    String throughputName =
        BedrockTargetSpec.legacyDerivedName(provisioned.owner(), "bedrock-use1");
    assertThat(profileName)
        .as("0.1 names end in 32 bits of hash, today's in 64")
        .isNotEqualTo(BedrockTargetSpec.derivedName(onDemand.owner(), "bedrock-use1"));
    String profile =
        profileOf(
            profileName,
            GPT_20B,
            Tag.builder().key(Owner.TAG).value("test-cluster/payments/old-od").build());
    String throughput =
        bedrock
            .createProvisionedModelThroughput(
                r ->
                    r.provisionedModelName(throughputName)
                        .modelId(PT_MODEL)
                        .modelUnits(1)
                        .tags(
                            Tag.builder()
                                .key(Owner.TAG)
                                .value("test-cluster/payments/old-pt")
                                .build()))
            .provisionedModelArn();
    sim.calls().reset();
    BedrockTargetProvider provider = provider();

    TargetObservation profileReady = untilSettled(provider, onDemand);
    TargetObservation throughputReady = untilSettled(provider, provisioned);

    assertThat(profileReady.state()).as(profileReady.message()).isEqualTo(TargetState.Ready);
    assertThat(profileReady.resourceId()).isEqualTo(profile);
    assertThat(profileReady.message()).contains(profileName);
    assertThat(throughputReady.state()).as(throughputReady.message()).isEqualTo(TargetState.Ready);
    assertThat(throughputReady.resourceId()).isEqualTo(throughput);
    assertThat(sim.calls().count(Service.BEDROCK, "CreateInferenceProfile")).isZero();
    assertThat(sim.calls().count(Service.BEDROCK, "CreateProvisionedModelThroughput")).isZero();
    healthy(provider, throughputReady.upstream(), throughputReady.credential());

    deletedAndGone(provider, onDemand, profile, provisioned, throughput);
  }

  @Test
  void someoneElsesProfileUnderTheOldNameNeitherBlocksNorServesTheTarget() {
    TargetRequest request = request("old-theirs", onDemand(GPT_20B));
    String oldName = BedrockTargetSpec.legacyDerivedName(request.owner(), "bedrock-use1");
    String theirs = profileOf(oldName, GPT_20B, Tag.builder().key("team").value("other").build());

    TargetObservation ready = untilSettled(provider(), request);

    assertThat(ready.state()).as(ready.message()).isEqualTo(TargetState.Ready);
    assertThat(ready.resourceId()).isNotEqualTo(theirs);
    assertThat(ready.message())
        .contains(BedrockTargetSpec.derivedName(request.owner(), "bedrock-use1"));
    assertThat(untilDeleted(provider(), request).reason()).isEqualTo("Deleted");
    assertThat(bedrock.getInferenceProfile(r -> r.inferenceProfileIdentifier(theirs))).isNotNull();
  }

  @Test
  void aThrottlingStormBacksOffWithJitterAndBoundedCalls() {
    BedrockTargetProvider provider = provider();
    TargetRequest request = request("storm", onDemand(GPT_20B));
    sim.faults().add(Fault.throttle(Service.BEDROCK, REGION, 1.0, Duration.ofSeconds(1)));

    TargetObservation first = provider.reconcile(request);
    TargetObservation second = provider.reconcile(request);
    TargetObservation third = provider.reconcile(request);

    assertThat(first.reason()).isEqualTo("Throttled");
    assertThat(first.message()).contains("ThrottlingException").contains("request id");
    Duration base = BedrockErrors.THROTTLE;
    assertThat(first.recheckAfter()).isBetween(base.dividedBy(2), base);
    assertThat(second.recheckAfter()).isBetween(base, base.multipliedBy(2));
    assertThat(third.recheckAfter()).isBetween(base.multipliedBy(2), base.multipliedBy(4));
    assertThat(sim.calls().count(Service.BEDROCK, "GetFoundationModel"))
        .as("three reconciles, two attempts each")
        .isLessThanOrEqualTo(6);
    assertThat(sim.calls().count(Service.BEDROCK, "CreateInferenceProfile")).isZero();

    sim.faults().clear();
    assertThat(untilSettled(provider, request).state()).isEqualTo(TargetState.Ready);
  }

  @Test
  void keysAreRenewedAtHalfTheirLifeAndRotatedOnRequestWithTheOldKeyStillValid() {
    MovableClock clock = new MovableClock();
    BedrockTargetProvider provider = new BedrockTargetProvider(settings(role, clock));
    TargetRequest request = request("rotate", onDemand(GPT_20B));
    TargetObservation ready = untilSettled(provider, request);
    Credential first = ready.credential();
    sim.calls().reset();

    clock.advance(Duration.ofMinutes(20));
    TargetObservation kept = provider.reconcile(request.withPublished(first));
    clock.advance(Duration.ofMinutes(11));
    TargetObservation renewed = provider.reconcile(request.withPublished(first));
    Credential second = renewed.credential();

    assertThat(kept.credential()).isEqualTo(first);
    assertThat(kept.recheckAfter()).isLessThanOrEqualTo(Duration.ofMinutes(10));
    assertThat(second.value()).isNotEqualTo(first.value());
    assertThat(second.publishedAt()).isAfter(first.publishedAt());
    assertThat(second.expiresAt())
        .as("never beyond the session's expiry, which the simulator's own clock sets here")
        .isAfterOrEqualTo(first.expiresAt());
    assertThat(sim.calls().count(Service.STS, "AssumeRole")).isEqualTo(1);
    healthy(provider, ready.upstream(), first); // the replaced key works until it expires
    healthy(provider, ready.upstream(), second);

    TargetRequest rotation = request.withPublished(second).withRotationRequest("2026-11-22");
    TargetObservation rotated = provider.reconcile(rotation);
    Credential third = rotated.credential();
    TargetObservation afterRotation = provider.reconcile(rotation.withPublished(third));

    assertThat(third.value()).isNotIn(first.value(), second.value());
    assertThat(third.rotatedFor()).isEqualTo("2026-11-22");
    assertThat(rotated.events()).extracting(e -> e.reason()).containsExactly("CredentialsRotated");
    assertThat(afterRotation.credential()).isEqualTo(third);
    healthy(provider, ready.upstream(), second);
  }

  @Test
  void targetCredentialsAreUsedAndAnIncompleteSecretIsAReasonWithoutValues() {
    Map<String, String> secret = secret(sim.credentials().awsSecretAccessKey());
    BedrockTargetProvider provider =
        new BedrockTargetProvider(
            settings(
                role,
                Clock.systemUTC(),
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("AKIANOTTHEOPERATOR", "not-the-operator"))));

    TargetObservation ready = untilSettled(provider, request("own-id", onDemand(GPT_20B), secret));
    TargetObservation incomplete =
        provider.reconcile(
            request("own-id", onDemand(GPT_20B), Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")));
    TargetObservation wrong =
        provider.reconcile(request("own-id", onDemand(GPT_20B), secret(WRONG_SECRET)));

    assertThat(ready.state()).as(ready.message()).isEqualTo(TargetState.Ready);
    assertThat(incomplete.reason()).isEqualTo("CredentialsInvalid");
    assertThat(incomplete.message())
        .contains("missing: AWS_SECRET_ACCESS_KEY")
        .doesNotContain("AKIAEXAMPLE");
    assertThat(wrong.reason()).isEqualTo("CredentialsInvalid");
    assertThat(wrong.message()).contains("request id").doesNotContain(WRONG_SECRET);
  }

  @Test
  void withoutAnyRoleNoUnscopedKeyIsPublishedAndNothingIsCreated() {
    TargetObservation noRole =
        new BedrockTargetProvider(settings(null, Clock.systemUTC()))
            .reconcile(request("no-role", onDemand(GPT_20B)));
    TargetObservation targetRole =
        untilSettled(
            new BedrockTargetProvider(settings(null, Clock.systemUTC())),
            request(
                "no-role",
                "{region: " + REGION + ", modelId: " + GPT_20B + ", roleArn: " + role + "}"));

    assertThat(noRole.state()).isEqualTo(TargetState.Failed);
    assertThat(noRole.reason()).isEqualTo("RoleRequired");
    assertThat(noRole.message()).contains("--aws-role-arn").contains("roleArn");
    assertThat(targetRole.state()).isEqualTo(TargetState.Ready);
  }

  @Test
  void aTeamRoleWhoseTrustPolicyNamesItsNamespaceRefusesEveryOtherNamespaceInTheCloud() {
    // The platform team's trust policy: payments-team may be assumed only by sessions tagged
    // crosswind.io/namespace=payments, which the operator sets from the endpoint's namespace.
    String team = "arn:aws:iam::" + sim.credentials().awsAccountId() + ":role/payments-team";
    sim.awsIdentities()
        .requireSessionTags("payments-team", Map.of("crosswind.io/namespace", "payments"));
    String target = "{region: " + REGION + ", modelId: " + GPT_20B + ", roleArn: " + team + "}";
    BedrockTargetProvider provider = new BedrockTargetProvider(settings(null, Clock.systemUTC()));
    sim.calls().reset();

    TargetRequest evil =
        new TargetRequest(
            new Owner("test-cluster", "evil", "borrow"),
            request("borrow", target).target(),
            Map.of());
    TargetObservation refused = provider.reconcile(evil);

    assertThat(refused.state()).isEqualTo(TargetState.Failed);
    assertThat(refused.reason()).isEqualTo("AccessDenied");
    assertThat(sim.calls().count(Service.BEDROCK, "CreateInferenceProfile"))
        .as("nothing made for the other namespace")
        .isZero();
    assertThat(applicationProfilesTaggedFor("test-cluster/evil/borrow")).isEmpty();

    TargetObservation served = untilSettled(provider, request("chat-team", target));
    assertThat(served.state()).isEqualTo(TargetState.Ready);
    healthy(provider, served.upstream(), served.credential());
  }

  static List<String> applicationProfilesTaggedFor(String owner) {
    return bedrock
        .listInferenceProfiles(r -> r.typeEquals("APPLICATION"))
        .inferenceProfileSummaries()
        .stream()
        .map(p -> p.inferenceProfileArn())
        .filter(arn -> owner.equals(tags(arn).get("crosswind.io/owner")))
        .toList();
  }

  @Test
  void logsNeverCarryAKeyASessionSecretOrASecretAccessKey() {
    StringWriter out = new StringWriter();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    WriterAppender capture =
        WriterAppender.createAppender(
            PatternLayout.newBuilder().withPattern("%level %logger %msg %throwable%n").build(),
            null,
            out,
            "capture",
            false,
            true);
    capture.start();
    context.getConfiguration().getRootLogger().addAppender(capture, null, null);
    Configurator.setLevel("software.amazon.awssdk", Level.DEBUG);
    Configurator.setLevel("io.crosswind", Level.DEBUG);
    List<Credential> keys = new ArrayList<>();
    Map<String, String> secret = secret(sim.credentials().awsSecretAccessKey());
    try {
      BedrockTargetProvider provider = provider();
      TargetRequest request = request("logged", onDemand(GPT_20B), secret);
      keys.add(untilSettled(provider, request).credential());
      keys.add(
          provider
              .reconcile(request.withPublished(keys.get(0)).withRotationRequest("now"))
              .credential());
      provider.reconcile(request("logged", onDemand(GPT_20B), secret(WRONG_SECRET)));
      sim.faults().add(Fault.throttle(Service.STS, "*", 1.0, Duration.ofMillis(10)));
      provider.reconcile(request.withPublished(keys.get(1)).withRotationRequest("again"));
    } finally {
      context.getConfiguration().getRootLogger().removeAppender("capture");
      capture.stop();
      Configurator.setLevel("software.amazon.awssdk", Level.INFO);
    }

    String logs = out.toString();
    assertThat(logs).contains("minted an API key").contains("CredentialsInvalid");
    assertThat(logs)
        .doesNotContain("bedrock-api-key-")
        .doesNotContain(sim.credentials().awsSecretAccessKey())
        .doesNotContain(WRONG_SECRET);
    for (Credential key : keys) {
      // The SDK's own signer logs canonical requests at DEBUG (session tokens included, which is
      // why the operator keeps the SDK at WARN), but never a signature: a key cannot be rebuilt.
      assertThat(logs)
          .doesNotContain(key.value().substring(16, 48))
          .doesNotContain(presignedParameter(key, "X-Amz-Signature"));
      String accessKey = presignedParameter(key, "X-Amz-Credential").split("/")[0];
      AwsIdentities.Identity session = sim.awsIdentities().find(accessKey).orElseThrow();
      assertThat(logs).doesNotContain(session.secretAccessKey());
    }
  }

  /** A query parameter of the presigned URL inside a Bedrock API key. */
  static String presignedParameter(Credential key, String name) {
    String url =
        new String(
            Base64.getDecoder().decode(key.value().substring("bedrock-api-key-".length())),
            StandardCharsets.UTF_8);
    return URLDecoder.decode(
        url.replaceAll(".*[?&]" + name + "=([^&]*).*", "$1"), StandardCharsets.UTF_8);
  }

  /** A clock that tests move forward, to reach a key's renewal time without waiting for it. */
  static final class MovableClock extends Clock {
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    void advance(Duration by) {
      offset.updateAndGet(o -> o.plus(by));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset.get());
    }
  }
}
