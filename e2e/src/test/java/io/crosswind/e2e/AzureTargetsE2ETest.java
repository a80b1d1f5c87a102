package io.crosswind.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.resourcemanager.cognitiveservices.CognitiveServicesManager;
import com.azure.resourcemanager.cognitiveservices.models.AccountProperties;
import com.azure.resourcemanager.cognitiveservices.models.Sku;
import io.crosswind.api.v1alpha1.TargetStatus;
import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Azure OpenAI targets end to end: the operator on the real API server, the simulated Azure
 * Resource Manager, Entra ID and Azure OpenAI behind the real Azure SDK, resources applied and read
 * with kubectl as a platform team would.
 */
@ExtendWith(RealCluster.class)
class AzureTargetsE2ETest {

  static final String NS = "azure-e2e";
  static final String OPERATOR_NS = "crosswind-azure-e2e";
  static final String RG = "rg-e2e";
  static OperatedNamespace user;
  static Simulators clouds;
  static CognitiveServicesManager azure;

  @BeforeAll
  static void start() throws Exception {
    user = OperatedNamespace.create(NS, OPERATOR_NS, java.util.Set.of(RG));
    clouds = user.clouds;
    azure = SimulatedClouds.azure(clouds);
    user.azureCredentialsSecret("azure-sp");
    user.startOperator("azure-e2e", "--credential-grace=3s");
  }

  @AfterAll
  static void stop() {
    if (user != null) {
      user.close();
    }
  }

  @BeforeEach
  void resetClouds() {
    user.resetClouds();
  }

  @AfterEach
  void clearFaults() {
    clouds.faults().clear();
  }

  /** An endpoint with one Azure target, as a user writes it. */
  static String endpoint(String name, String account, String extra, int capacity) {
    return """
        apiVersion: crosswind.io/v1alpha1
        kind: ModelEndpoint
        metadata:
          name: %s
        spec:
          model: gpt-4o
          targets:
            - name: azure
              credentialsSecretRef: {name: azure-sp}
              azure:
                resourceGroup: rg-e2e
                account: {name: %s, create: {location: eastus2}}
                deployment:
                  model: {name: gpt-4o, version: "2024-11-20"}
                  sku: {name: GlobalStandard, capacity: %d}
        %s
        """
        .formatted(name, account, capacity, extra);
  }

  @Test
  void aDirectEndpointIsCreatedFromNothingAndItsSecretWorksWithAnOpenAiClient() throws Exception {
    user.apply(endpoint("direct", "acct-direct", "  endpoint: {mode: Direct}", 10));

    user.awaitReason("direct", "Serving");

    assertThat(user.cluster.kubectl("get", "mep", "direct", "-n", NS))
        .containsPattern("direct\\s+gpt-4o\\s+azure\\s+True\\s+Serving");
    TargetStatus status = user.target("direct");
    assertThat(status.getResourceId())
        .isEqualTo(
            "/subscriptions/"
                + clouds.credentials().subscriptionId()
                + "/resourceGroups/rg-e2e/providers/Microsoft.CognitiveServices/accounts/acct-direct/deployments/azure-e2e_direct_azure");
    assertThat(status.getModelVersion()).isEqualTo("2024-11-20");
    assertThat(status.getRateLimits()).isNotEmpty();
    assertThat(status.getCredentials().getName()).isEqualTo("key1");
    Map<String, String> env = user.endpointSecret("direct");
    assertThat(env.get("OPENAI_BASE_URL")).endsWith("/acct-direct/openai/v1");
    assertThat(env.get("OPENAI_MODEL")).isEqualTo("azure-e2e_direct_azure");
    assertThat(user.chat(env)).isEqualTo(200);
    assertThat(user.client.services().inNamespace(NS).withName("direct").get())
        .as("Direct mode needs no Service")
        .isNull();
    assertThat(azure.accounts().getByResourceGroup(RG, "acct-direct").tags())
        .containsEntry("crosswind.io/owner", "e2e/azure-e2e/direct");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(user.target("direct").getHealth().name()).isEqualTo("Healthy"));
    assertThat(user.events("direct")).contains("AccountCreating").contains("DeploymentCreating");
  }

  @Test
  void capacityAndVersionChangesAreAppliedAndDriftIsCorrectedWithAnEvent() {
    user.apply(endpoint("resize", "acct-resize", "", 5));
    user.awaitReason("resize", "Serving");

    user.cluster.kubectl(
        "patch",
        "mep",
        "resize",
        "-n",
        NS,
        "--type=json",
        "-p",
        "[{\"op\":\"replace\",\"path\":\"/spec/targets/0/azure/deployment/sku/capacity\",\"value\":8}]");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                azure
                        .deployments()
                        .get(RG, "acct-resize", "azure-e2e_resize_azure")
                        .sku()
                        .capacity()
                    == 8);
    user.awaitReason("resize", "Serving");

    var deployment = azure.deployments().get(RG, "acct-resize", "azure-e2e_resize_azure");
    azure
        .serviceClient()
        .getDeployments()
        .beginCreateOrUpdate(
            RG,
            "acct-resize",
            "azure-e2e_resize_azure",
            deployment.innerModel().withSku(new Sku().withName("GlobalStandard").withCapacity(3)));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(
                      azure
                          .deployments()
                          .get(RG, "acct-resize", "azure-e2e_resize_azure")
                          .sku()
                          .capacity())
                  .isEqualTo(8);
              assertThat(user.events("resize")).contains("capacity: 3 -> 8");
            });
  }

  @Test
  void aThrottlingStormOnTheManagementApiIsWaitedOutWithoutAHotLoop() {
    clouds.faults().add(Fault.throttle(Service.ARM, "*", 1.0, Duration.ofSeconds(4)));
    user.apply(endpoint("storm", "acct-storm", "", 1));

    user.awaitReason("storm", "Throttled");
    clouds.calls().reset();
    await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(9)).until(() -> true);
    // Retry-After is 4 s: in 8 s the endpoint may look two or three times (each one GET), and
    // the resync of the other endpoints adds their own reads; a hot loop would make hundreds.
    assertThat(clouds.calls().count(Service.ARM, "GetAccount")).isBetween(1L, 30L);
    assertThat(user.target("storm").getMessage()).contains("429").contains("request id");

    clouds.faults().clear();
    user.awaitReason("storm", "Serving");
  }

  @Test
  void aFailedLongRunningOperationAndAQuotaErrorAreReportedWithTheProvidersWords() {
    clouds.faults().add(Fault.failedOperations(Service.ARM, "acct-failing"));
    user.apply(endpoint("failing", "acct-failing", "", 1));
    user.apply(endpoint("greedy", "acct-greedy", "", 5000));

    user.awaitReason("failing", "AccountFailed");
    user.awaitReason("greedy", "QuotaExceeded");

    assertThat(user.cluster.kubectl("get", "mep", "greedy", "-n", NS))
        .containsPattern("greedy\\s+gpt-4o\\s+False\\s+QuotaExceeded");
    assertThat(user.target("greedy").getMessage())
        .contains("InsufficientQuota")
        .contains("request id");
    assertThat(user.events("greedy")).contains("QuotaExceeded");
  }

  @Test
  void anAccountCrosswindDoesNotOwnIsNeverModified() {
    azure
        .accounts()
        .define("acct-theirs")
        .withExistingResourceGroup(RG)
        .withRegion("eastus2")
        .withKind("OpenAI")
        .withSku(new Sku().withName("S0"))
        .withProperties(new AccountProperties().withCustomSubDomainName("acct-theirs"))
        .create();
    clouds.calls().reset();

    user.apply(endpoint("squatter", "acct-theirs", "", 1));

    user.awaitReason("squatter", "NotOwned");
    assertThat(clouds.calls().count(Service.ARM, "CreateOrUpdateAccount")).isZero();
    assertThat(clouds.calls().count(Service.ARM, "CreateOrUpdateDeployment")).isZero();
    assertThat(azure.accounts().getByResourceGroup(RG, "acct-theirs").tags())
        .doesNotContainKey("crosswind.io/owner");
  }

  @Test
  void rotatingTheKeysNeverLeavesThePublishedKeyInvalid() throws Exception {
    user.apply(endpoint("rotating", "acct-rotating", "  endpoint: {mode: Direct}", 1));
    user.awaitReason("rotating", "Serving");
    String before = user.endpointSecret("rotating").get("OPENAI_API_KEY");

    List<Integer> answers =
        user.chattingWhile(
            "rotating",
            () -> {
              user.cluster.kubectl(
                  "annotate", "mep", "rotating", "-n", NS, "crosswind.io/rotate-credentials=r1");
              await()
                  .atMost(Duration.ofSeconds(60))
                  .untilAsserted(
                      () -> {
                        assertThat(user.events("rotating")).contains("CredentialsRotated");
                        assertThat(user.target("rotating").getCredentials().getRotatedFor())
                            .isEqualTo("r1");
                      });
              Thread.sleep(1000);
            });

    String after = user.endpointSecret("rotating").get("OPENAI_API_KEY");
    assertThat(after).isNotEqualTo(before);
    assertThat(user.target("rotating").getCredentials().getName()).isEqualTo("key2");
    assertThat(answers).hasSizeGreaterThan(20).containsOnly(200);
    assertThat(azure.accounts().listKeys(RG, "acct-rotating").key1())
        .as("the key published before was regenerated")
        .isNotEqualTo(before);
    assertThat(user.events("rotating")).contains("CredentialsRotating");
    assertThat(user.events("rotating")).doesNotContain(after).doesNotContain(before);
  }

  @Test
  void deletionRemovesWhatCrosswindMadeUnlessItIsRetained() {
    user.apply(endpoint("doomed", "acct-doomed", "  deletionPolicy: Delete", 1));
    user.apply(endpoint("kept", "acct-kept", "  deletionPolicy: Retain", 1));
    user.awaitReason("doomed", "Serving");
    user.awaitReason("kept", "Serving");

    user.cluster.kubectl("delete", "mep", "doomed", "kept", "-n", NS, "--timeout=60s");

    assertThat(user.get("doomed")).isNull();
    assertThat(user.get("kept")).isNull();
    assertThat(azure.accounts().listByResourceGroup(RG).stream().map(a -> a.name()))
        .doesNotContain("acct-doomed")
        .contains("acct-kept");
    assertThat(azure.deployments().list(RG, "acct-kept").stream().map(d -> d.name()))
        .containsExactly("azure-e2e_kept_azure");
    assertThat(user.client.secrets().inNamespace(OPERATOR_NS).list().getItems())
        .extracting(s -> s.getMetadata().getName())
        .doesNotContain("crosswind-routes-azure-e2e.doomed", "crosswind-routes-azure-e2e.kept");
  }

  @Test
  void anOperatorRestartInTheMiddleOfProvisioningCreatesNothingTwice() throws Exception {
    clouds.faults().add(Fault.slowOperations(Service.ARM, "acct-restart", Duration.ofSeconds(6)));
    user.apply(endpoint("restart", "acct-restart", "", 1));
    user.awaitReason("restart", "Provisioning");
    // The route table's first write brings the next look at once: still creating, or provisioning.
    assertThat(user.target("restart").getReason()).isIn("AccountCreating", "AccountProvisioning");

    user.stopOperator();
    user.startOperator();

    user.awaitReason("restart", "Serving");
    assertThat(clouds.calls().count(Service.ARM, "CreateOrUpdateAccount")).isEqualTo(1);
    assertThat(clouds.calls().count(Service.ARM, "CreateOrUpdateDeployment")).isEqualTo(1);
  }
}
