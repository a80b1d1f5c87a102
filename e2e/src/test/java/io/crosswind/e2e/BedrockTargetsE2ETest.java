package io.crosswind.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.TargetCredentialsStatus;
import io.crosswind.api.v1alpha1.TargetStatus;
import io.crosswind.operator.publish.PublishedTable;
import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import io.crosswind.wire.EndpointKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.GetProvisionedModelThroughputResponse;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileSummary;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileType;
import software.amazon.awssdk.services.bedrock.model.Tag;

/**
 * AWS Bedrock targets end to end: the operator on the real API server, the simulated Bedrock
 * control plane, STS and runtime behind the real AWS SDK, resources applied and read with kubectl
 * as a platform team would, and the published key used as an application would.
 */
@ExtendWith(RealCluster.class)
class BedrockTargetsE2ETest {

  static final String NS = "bedrock-e2e";
  static final String OPERATOR_NS = "crosswind-bedrock-e2e";
  static final String REGION = "us-east-1";
  static final String GPT_20B = "openai.gpt-oss-20b-1:0";
  static final String GPT_120B = "openai.gpt-oss-120b-1:0";
  static final String LEGACY = "anthropic.claude-3-sonnet-20240229-v1:0";
  static final String PT_MODEL = "amazon.nova-pro-v1:0:300k";
  static final String OWNER_TAG = "crosswind.io/owner";

  static OperatedNamespace user;
  static Simulators clouds;
  static BedrockClient bedrock;

  @BeforeAll
  static void start() throws Exception {
    user = OperatedNamespace.create(NS, OPERATOR_NS, Set.of());
    clouds = user.clouds;
    SimulatedClouds.operatorIdentity(clouds);
    // The account has used the LEGACY model lately, so Bedrock still lets it make profiles of it.
    clouds.bedrock().recordRecentUse(REGION, LEGACY);
    bedrock = SimulatedClouds.bedrock(clouds, REGION);
    user.startOperator("bedrock-e2e");
  }

  @AfterAll
  static void stop() {
    if (bedrock != null) {
      bedrock.close();
    }
    if (user != null) {
      user.close();
    }
  }

  @BeforeEach
  void resetClouds() {
    user.resetClouds();
  }

  /** An endpoint with one Bedrock target, as a user writes it. */
  static String endpoint(String name, String bedrockTarget, String extra) {
    return """
        apiVersion: crosswind.io/v1alpha1
        kind: ModelEndpoint
        metadata:
          name: %s
        spec:
          model: llm
          targets:
            - name: bedrock-use1
              bedrock: %s
        %s
        """
        .formatted(name, bedrockTarget, extra);
  }

  static String onDemand(String region, String model) {
    return "{region: " + region + ", modelId: " + model + "}";
  }

  static final String DIRECT = "  endpoint: {mode: Direct}";

  static Map<String, String> tags(String arn) {
    Map<String, String> tags = new HashMap<>();
    for (Tag t : bedrock.listTagsForResource(r -> r.resourceARN(arn)).tags()) {
      tags.put(t.key(), t.value());
    }
    return tags;
  }

  static List<InferenceProfileSummary> applicationProfiles() {
    return bedrock
        .listInferenceProfiles(r -> r.typeEquals(InferenceProfileType.APPLICATION))
        .inferenceProfileSummaries();
  }

  static GetProvisionedModelThroughputResponse throughput(String arn) {
    return bedrock.getProvisionedModelThroughput(r -> r.provisionedModelId(arn));
  }

  static long calls(String operation) {
    return clouds.calls().count(Service.BEDROCK, operation);
  }

  @Test
  void anOnDemandDirectEndpointIsCreatedFromNothingAndItsKeyServesOnlyItsModel() throws Exception {
    user.apply(endpoint("direct", onDemand(REGION, GPT_20B), DIRECT));

    user.awaitReason("direct", "Serving");

    assertThat(user.kubectl("get", "mep", "direct"))
        .containsPattern("direct\\s+llm\\s+bedrock-use1\\s+True\\s+Serving");
    TargetStatus status = user.target("direct");
    String profile = status.getResourceId();
    assertThat(profile)
        .startsWith(
            "arn:aws:bedrock:us-east-1:"
                + clouds.credentials().awsAccountId()
                + ":application-inference-profile/");
    assertThat(status.getModelLifecycle()).isEqualTo("ACTIVE");
    assertThat(status.getCredentials().getName()).isEqualTo("bedrock-api-key");
    assertThat(Instant.parse(status.getCredentials().getExpiresAt()))
        .isBetween(Instant.now(), Instant.now().plus(Duration.ofHours(1)));
    assertThat(applicationProfiles())
        .filteredOn(p -> p.inferenceProfileArn().equals(profile))
        .singleElement()
        .satisfies(p -> assertThat(p.inferenceProfileName()).startsWith("bedrock-e2e-direct-"));
    assertThat(tags(profile)).containsEntry(OWNER_TAG, "e2e/bedrock-e2e/direct");
    assertThat(calls("CreateInferenceProfile")).isEqualTo(1);

    Map<String, String> env = user.endpointSecret("direct");
    assertThat(env.get("OPENAI_BASE_URL"))
        .isEqualTo(clouds.bedrockRuntimeEndpoint(REGION) + "/openai/v1");
    assertThat(env.get("OPENAI_MODEL")).isEqualTo(profile);
    assertThat(env.get("OPENAI_API_KEY")).startsWith("bedrock-api-key-");
    assertThat(user.chat(env)).isEqualTo(200);
    Map<String, String> otherModel = new HashMap<>(env);
    otherModel.put("OPENAI_MODEL", GPT_120B);
    assertThat(user.chat(otherModel)).as("the key is scoped to this target's model").isEqualTo(403);
    assertThat(user.client.services().inNamespace(NS).withName("direct").get())
        .as("Direct mode needs no Service")
        .isNull();
    PublishedTable.Route route = user.routeTable("direct").route("bedrock-use1").orElseThrow();
    assertThat(route.provider()).isEqualTo("Bedrock");
    assertThat(route.resourceId()).isEqualTo(profile);
    assertThat(route.credential().scheme()).isEqualTo("BEARER");
    assertThat(route.credential().value()).isEqualTo(env.get("OPENAI_API_KEY"));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(user.target("direct").getHealth().name()).isEqualTo("Healthy"));
    assertThat(user.events("direct")).contains("ProfileCreating");
  }

  @Test
  void theBedrockOnlyExampleIsServedThroughTheGateway() throws Exception {
    user.kubectl("apply", "-f", Resources.root().resolve("examples/bedrock-only.yaml").toString());

    user.awaitReason("gpt-oss", "Serving");

    assertThat(user.kubectl("get", "mep", "gpt-oss", "-o", "wide"))
        .containsPattern("gpt-oss\\s+gpt-oss-120b\\s+bedrock-use1\\s+True\\s+Serving")
        .contains("http://gpt-oss." + NS + ".svc.cluster.local/v1");
    Map<String, String> env = user.endpointSecret("gpt-oss");
    assertThat(env.get("OPENAI_BASE_URL"))
        .isEqualTo("http://gpt-oss." + NS + ".svc.cluster.local/v1");
    assertThat(env.get("OPENAI_MODEL")).isEqualTo("gpt-oss-120b");
    assertThat(env.get("OPENAI_API_KEY")).startsWith("cw-");
    assertThat(user.client.services().inNamespace(NS).withName("gpt-oss").get().getSpec())
        .satisfies(s -> assertThat(s.getType()).isEqualTo("ExternalName"));

    PublishedTable table = user.routeTable("gpt-oss");
    assertThat(table.active()).isEqualTo("bedrock-use1");
    assertThat(table.endpointKeySha256())
        .isEqualTo(EndpointKeys.sha256Hex(env.get("OPENAI_API_KEY")));
    PublishedTable.Route route = table.route("bedrock-use1").orElseThrow();
    assertThat(route.state()).isEqualTo("Ready");
    assertThat(route.api()).isEqualTo("OPENAI");
    assertThat(route.upstreamModel()).isEqualTo(user.target("gpt-oss").getResourceId());
    // What the gateway sends upstream with the route table's key.
    assertThat(
            user.chat(
                Map.of(
                    "OPENAI_BASE_URL", route.url(),
                    "OPENAI_API_KEY", route.credential().value(),
                    "OPENAI_MODEL", route.upstreamModel())))
        .isEqualTo(200);
  }

  @Test
  void anUnknownModelCreatesNothingAndALegacyModelIsServedWithAWarning() {
    user.apply(endpoint("unknown", onDemand(REGION, "openai.gpt-9-1:0"), ""));
    user.apply(endpoint("legacy", onDemand(REGION, LEGACY), ""));

    user.awaitReason("unknown", "ModelNotAvailable");
    user.awaitReason("legacy", "Serving");

    assertThat(user.kubectl("get", "mep", "unknown"))
        .containsPattern("unknown\\s+llm\\s+False\\s+ModelNotAvailable");
    assertThat(user.target("unknown").getMessage())
        .contains("openai.gpt-9-1:0")
        .contains("request id");
    assertThat(user.target("unknown").getResourceId()).isNull();
    assertThat(applicationProfiles())
        .extracting(InferenceProfileSummary::inferenceProfileName)
        .noneMatch(n -> n.startsWith("bedrock-e2e-unknown-"));
    assertThat(calls("CreateInferenceProfile")).as("the legacy endpoint's only").isEqualTo(1);

    assertThat(user.target("legacy").getModelLifecycle()).isEqualTo("LEGACY");
    assertThat(user.events("legacy"))
        .containsPattern("Warning\\s+ModelLegacy\\s+modelendpoint/legacy\\s+.*" + LEGACY)
        .contains("end of life");
  }

  @Test
  void aCommittedThroughputIsBoughtOnceAcrossARestartNeverResizedAndReleasedByRetain()
      throws Exception {
    clouds.faults().add(Fault.slowOperations(Service.BEDROCK, REGION, Duration.ofSeconds(4)));
    user.apply(
        endpoint(
            "reserved",
            "{region: us-east-1, modelId: "
                + PT_MODEL
                + ", throughput: {mode: Provisioned, modelUnits: 1, commitment: OneMonth}}",
            ""));
    user.awaitReason("reserved", "Provisioning");
    assertThat(user.target("reserved").getReason())
        .isIn("ThroughputCreating", "ThroughputProvisioning");
    String arn = user.target("reserved").getResourceId();
    assertThat(arn).contains(":provisioned-model/");

    user.stopOperator();
    assertThat(throughput(arn).statusAsString())
        .as("the operator stopped in the middle of the purchase")
        .isEqualTo("Creating");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "InService".equals(throughput(arn).statusAsString()));
    user.startOperator();

    user.awaitReason("reserved", "Serving");
    assertThat(calls("CreateProvisionedModelThroughput")).isEqualTo(1);
    assertThat(clouds.bedrock().provisionedThroughputArns(REGION)).containsExactly(arn);
    assertThat(user.kubectl("get", "mep", "reserved"))
        .containsPattern("reserved\\s+llm\\s+bedrock-use1\\s+True\\s+Serving");
    TargetStatus serving = user.target("reserved");
    assertThat(serving.getResourceId()).isEqualTo(arn);
    assertThat(serving.getReason()).isEqualTo("Provisioned");
    String commitmentEnds = serving.getCommitmentEndsAt();
    assertThat(Instant.parse(commitmentEnds)).isAfter(Instant.now().plus(Duration.ofDays(27)));
    assertThat(tags(arn)).containsEntry(OWNER_TAG, "e2e/bedrock-e2e/reserved");
    assertThat(user.events("reserved")).contains("ThroughputCreating");

    user.kubectl(
        "patch",
        "mep",
        "reserved",
        "--type=json",
        "-p",
        "[{\"op\":\"replace\",\"path\":\"/spec/targets/0/bedrock/throughput/modelUnits\",\"value\":2}]");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(user.get("reserved").getStatus().getObservedGeneration()).isEqualTo(2);
              assertThat(user.target("reserved").getReason()).isEqualTo("ThroughputImmutable");
            });
    assertThat(user.ready("reserved").map(Condition::getReason)).contains("Serving");
    assertThat(user.events("reserved"))
        .containsPattern("Warning\\s+ThroughputImmutable\\s+.*modelUnits: 1 -> 2");
    assertThat(throughput(arn).desiredModelUnits()).isEqualTo(1);
    assertThat(calls("CreateProvisionedModelThroughput")).isEqualTo(1);
    assertThat(calls("UpdateProvisionedModelThroughput")).isZero();

    user.kubectl("delete", "mep", "reserved", "--wait=false");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(user.events("reserved"))
                    .containsPattern(
                        "DeletionBlocked\\s+modelendpoint/reserved\\s+.*"
                            + commitmentEnds.substring(0, 19)));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(user.get("reserved").getMetadata().getDeletionTimestamp()).isNotNull();
              assertThat(user.get("reserved").getMetadata().getFinalizers())
                  .containsExactly("modelendpoints.crosswind.io/finalizer");
            });
    assertThat(calls("DeleteProvisionedModelThroughput")).isZero();
    assertThat(user.kubectl("get", "mep", "reserved"))
        .as("kubectl get says why the endpoint is still there")
        .containsPattern("reserved\\s+\\S+\\s+\\S+\\s+False\\s+DeletionBlocked");
    assertThat(user.events("reserved")).containsPattern("Warning\\s+DeletionBlocked");
    // Where the platform admin who granted the throughput looks: the CloudGrant's events (in
    // "default", as for every cluster-scoped object) and the operator's metrics.
    assertThat(
            RealCluster.get()
                .kubectl(
                    "get",
                    "events",
                    "-n",
                    "default",
                    "--field-selector",
                    "involvedObject.name=tests-" + user.namespace))
        .containsPattern("Warning\\s+DeletionBlocked\\s+cloudgrant/tests-" + user.namespace)
        .contains("ModelEndpoint " + user.namespace + "/reserved was deleted");
    assertThat(user.metrics()).containsPattern("(?m)^crosswind_deletions_blocked(\\{\\})? 1\\.0$");

    user.kubectl(
        "patch",
        "mep",
        "reserved",
        "--type=merge",
        "-p",
        "{\"spec\":{\"deletionPolicy\":\"Retain\"}}");

    await().atMost(Duration.ofSeconds(30)).until(() -> user.get("reserved") == null);
    assertThat(user.metrics()).containsPattern("(?m)^crosswind_deletions_blocked(\\{\\})? 0\\.0$");
    assertThat(clouds.bedrock().provisionedThroughputArns(REGION)).containsExactly(arn);
    assertThat(throughput(arn).statusAsString()).isEqualTo("InService");
    assertThat(tags(arn)).containsEntry(OWNER_TAG, "e2e/bedrock-e2e/reserved");
    assertThat(calls("DeleteProvisionedModelThroughput")).isZero();
    assertThat(user.routeTableSecret("reserved")).isNull();
  }

  @Test
  void deletionRemovesTheProfileUnlessTheEndpointRetainsIt() {
    user.apply(endpoint("doomed", onDemand(REGION, GPT_20B), "  deletionPolicy: Delete"));
    user.apply(endpoint("kept", onDemand(REGION, GPT_20B), "  deletionPolicy: Retain"));
    user.awaitReason("doomed", "Serving");
    user.awaitReason("kept", "Serving");
    String doomed = user.target("doomed").getResourceId();
    String kept = user.target("kept").getResourceId();

    user.kubectl("delete", "mep", "doomed", "kept", "--timeout=60s");

    assertThat(user.get("doomed")).isNull();
    assertThat(user.get("kept")).isNull();
    assertThat(applicationProfiles())
        .extracting(InferenceProfileSummary::inferenceProfileArn)
        .doesNotContain(doomed)
        .contains(kept);
    assertThat(tags(kept)).containsEntry(OWNER_TAG, "e2e/bedrock-e2e/kept");
    assertThat(calls("DeleteInferenceProfile")).isEqualTo(1);
    assertThat(user.routeTableSecret("doomed")).isNull();
    assertThat(user.routeTableSecret("kept")).isNull();
  }

  @Test
  void aThrottlingStormOnTheBedrockControlPlaneIsWaitedOutWithoutAHotLoop() {
    // Its own region, so that the other endpoints' calls are not throttled and not counted here.
    Fault storm = Fault.throttle(Service.BEDROCK, "us-west-2", 1.0, Duration.ofSeconds(1));
    clouds.faults().add(storm);
    user.apply(endpoint("storm", onDemand("us-west-2", GPT_120B), DIRECT));

    user.awaitReason("storm", "Throttled");
    assertThat(user.kubectl("get", "mep", "storm"))
        .containsPattern("storm\\s+llm\\s+False\\s+Throttled");
    assertThat(user.target("storm").getMessage())
        .contains("ThrottlingException")
        .contains("request id");
    long before = clouds.faults().seen(storm);
    await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(9)).until(() -> true);
    // Requests to us-west-2's control plane only (the fault's scope): the first look after a
    // throttle comes 10 to 20 s later (two SDK attempts each), so in 8 s at most one look; a hot
    // loop, even at the operator's 1 s floor, would make 16.
    assertThat(clouds.faults().seen(storm) - before)
        .as(clouds.calls().snapshot().toString())
        .isLessThanOrEqualTo(4);
    assertThat(calls("CreateInferenceProfile")).isZero();

    clouds.faults().clear();
    user.awaitReason("storm", "Serving", Duration.ofSeconds(90));
    assertThat(user.target("storm").getResourceId()).contains(":us-west-2:");
  }

  @Test
  void rotatingTheKeyPublishesANewOneWhileTheOldOneKeepsWorking() throws Exception {
    user.apply(endpoint("rotating", onDemand(REGION, GPT_20B), DIRECT));
    user.awaitReason("rotating", "Serving");
    Map<String, String> before = user.endpointSecret("rotating");
    TargetCredentialsStatus first = user.target("rotating").getCredentials();

    List<Integer> answers =
        user.chattingWhile(
            "rotating",
            () -> {
              user.kubectl("annotate", "mep", "rotating", "crosswind.io/rotate-credentials=r1");
              await()
                  .atMost(Duration.ofSeconds(30))
                  .untilAsserted(
                      () -> {
                        assertThat(user.events("rotating")).contains("CredentialsRotated");
                        assertThat(user.target("rotating").getCredentials().getRotatedFor())
                            .isEqualTo("r1");
                      });
              Thread.sleep(1000); // requests go on with the new key for a while
            });

    Map<String, String> after = user.endpointSecret("rotating");
    assertThat(after.get("OPENAI_API_KEY"))
        .startsWith("bedrock-api-key-")
        .isNotEqualTo(before.get("OPENAI_API_KEY"));
    assertThat(after.get("OPENAI_MODEL")).isEqualTo(before.get("OPENAI_MODEL"));
    assertThat(answers).hasSizeGreaterThan(10).containsOnly(200);
    assertThat(user.chat(before)).as("the previous key works until it expires").isEqualTo(200);
    TargetCredentialsStatus second = user.target("rotating").getCredentials();
    assertThat(Instant.parse(second.getPublishedAt()))
        .isAfterOrEqualTo(Instant.parse(first.getPublishedAt()));
    assertThat(user.events("rotating"))
        .contains("stays valid until it expires at " + first.getExpiresAt().substring(0, 19))
        .doesNotContain(before.get("OPENAI_API_KEY"))
        .doesNotContain(after.get("OPENAI_API_KEY"));
  }
}
