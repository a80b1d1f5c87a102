package io.crosswind.operator.cloud.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.cognitiveservices.CognitiveServicesManager;
import com.azure.resourcemanager.cognitiveservices.models.AccountProperties;
import com.azure.resourcemanager.cognitiveservices.models.DeploymentModel;
import com.azure.resourcemanager.cognitiveservices.models.DeploymentProperties;
import com.azure.resourcemanager.cognitiveservices.models.Sku;
import io.crosswind.api.v1alpha1.Target;
import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.operator.cloud.Owner;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.cloud.TargetRequest;
import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.SimulatorsExtension;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import io.crosswind.testing.Fixtures;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Azure provider against the simulated ARM and Entra ID, with the real Azure SDK: what it
 * creates, how it reports, and what it never touches.
 */
class AzureTargetProviderTest {

  static final String RG = "rg-ai";

  @RegisterExtension static SimulatorsExtension clouds = SimulatorsExtension.withResourceGroups(RG);

  static Simulators sim;
  static HttpClient http;
  static CognitiveServicesManager azure;
  static final Owner OWNER = new Owner("test-cluster", "payments", "chat");

  @BeforeAll
  static void clients() {
    sim = clouds.get();
    http =
        new JdkHttpClientBuilder(
                java.net.http.HttpClient.newBuilder()
                    .sslContext(sim.certificates().clientSslContext()))
            .build();
    azure =
        CognitiveServicesManager.configure()
            .withHttpClient(http)
            .authenticate(
                new ClientSecretCredentialBuilder()
                    .tenantId(sim.credentials().tenantId())
                    .clientId(sim.credentials().clientId())
                    .clientSecret(sim.credentials().clientSecret())
                    .authorityHost(sim.entraAuthorityHost())
                    .disableInstanceDiscovery()
                    .httpClient(http)
                    .build(),
                new AzureProfile(
                    sim.credentials().tenantId(),
                    sim.credentials().subscriptionId(),
                    new AzureEnvironment(
                        Map.of(
                            "resourceManagerEndpointUrl",
                            sim.armEndpoint(),
                            "managementEndpointUrl",
                            "https://management.core.windows.net/"))));
  }

  static AzureTargetProvider provider() {
    return new AzureTargetProvider(
        new AzureSettings(
            sim.credentials().subscriptionId(), sim.entraAuthorityHost(), sim.armEndpoint(), http));
  }

  static Map<String, String> secret() {
    return Map.of(
        "AZURE_TENANT_ID", sim.credentials().tenantId(),
        "AZURE_CLIENT_ID", sim.credentials().clientId(),
        "AZURE_CLIENT_SECRET", sim.credentials().clientSecret());
  }

  static Target target(String account, boolean create, String model, String sku, int capacity) {
    String yaml =
        """
        model: m
        targets:
          - name: azure-eus2
            azure:
              resourceGroup: %s
              account: {name: %s%s}
              deployment:
                model: {name: %s}
                sku: {name: %s, capacity: %d}
        """
            .formatted(
                RG, account, create ? ", create: {location: eastus2}" : "", model, sku, capacity);
    return Fixtures.endpointSpec(yaml).getTargets().get(0);
  }

  static TargetObservation untilSettled(AzureTargetProvider provider, TargetRequest request) {
    AtomicReference<TargetObservation> last = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              last.set(provider.reconcile(request));
              return last.get().state() != TargetState.Provisioning;
            });
    return last.get();
  }

  @Test
  void createsTheAccountAndTheDeploymentWithoutWaitingAndReportsThemReady() {
    AzureTargetProvider provider = provider();
    TargetRequest request =
        new TargetRequest(
            OWNER, target("acct-new", true, "gpt-4o", "GlobalStandard", 10), secret());

    TargetObservation first = provider.reconcile(request);
    assertThat(first.state()).isEqualTo(TargetState.Provisioning);
    assertThat(first.reason()).isEqualTo("AccountCreating");
    assertThat(first.recheckAfter()).isPositive();

    TargetObservation ready = untilSettled(provider, request);
    assertThat(ready.state()).isEqualTo(TargetState.Ready);
    assertThat(ready.resourceId())
        .endsWith(
            "/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/acct-new/deployments/payments-chat-azure-eus2");
    assertThat(ready.details().modelVersion()).isEqualTo("2024-11-20");
    assertThat(ready.details().rateLimits()).isNotEmpty();
    assertThat(azure.accounts().getByResourceGroup(RG, "acct-new").tags())
        .containsEntry("crosswind.io/owner", "test-cluster/payments/chat");
    assertThat(
            azure.deployments().get(RG, "acct-new", "payments-chat-azure-eus2").innerModel().tags())
        .containsEntry("crosswind.io/owner", "test-cluster/payments/chat");
  }

  @Test
  void usesAnExistingAccountAsItIsAndNeverChangesOneItDoesNotOwn() {
    azure
        .accounts()
        .define("acct-theirs")
        .withExistingResourceGroup(RG)
        .withRegion("eastus2")
        .withKind("OpenAI")
        .withSku(new Sku().withName("S0"))
        .withProperties(new AccountProperties().withCustomSubDomainName("acct-theirs"))
        .create();
    sim.calls().reset();

    TargetObservation notOwned =
        provider()
            .reconcile(
                new TargetRequest(
                    OWNER, target("acct-theirs", true, "gpt-4o", "GlobalStandard", 5), secret()));

    assertThat(notOwned.state()).isEqualTo(TargetState.Failed);
    assertThat(notOwned.reason()).isEqualTo("NotOwned");
    assertThat(sim.calls().mutating()).isZero();

    TargetObservation existing =
        untilSettled(
            provider(),
            new TargetRequest(
                OWNER, target("acct-theirs", false, "gpt-4o", "GlobalStandard", 5), secret()));
    assertThat(existing.state()).isEqualTo(TargetState.Ready);
    assertThat(azure.accounts().getByResourceGroup(RG, "acct-theirs").tags())
        .doesNotContainKey("crosswind.io/owner");
  }

  @Test
  void correctsDriftMadeOutsideCrosswindAndSaysSo() {
    AzureTargetProvider provider = provider();
    TargetRequest request =
        new TargetRequest(
            OWNER, target("acct-drift", true, "gpt-4o", "GlobalStandard", 10), secret());
    untilSettled(provider, request);
    var deployment = azure.deployments().get(RG, "acct-drift", "payments-chat-azure-eus2");
    azure
        .serviceClient()
        .getDeployments()
        .beginCreateOrUpdate(
            RG,
            "acct-drift",
            "payments-chat-azure-eus2",
            deployment.innerModel().withSku(new Sku().withName("GlobalStandard").withCapacity(30)));
    await().until(() -> "DeploymentUpdating".equals(provider.reconcile(request).reason()));

    TargetObservation corrected = untilSettled(provider, request);

    assertThat(corrected.state()).isEqualTo(TargetState.Ready);
    assertThat(
            azure.deployments().get(RG, "acct-drift", "payments-chat-azure-eus2").sku().capacity())
        .isEqualTo(10);
  }

  @Test
  void reportsQuotaAndModelErrorsWithTheProvidersMessageAndRequestId() {
    AzureTargetProvider provider = provider();
    untilSettled(
        provider,
        new TargetRequest(
            OWNER, target("acct-err", true, "gpt-4o", "GlobalStandard", 1), secret()));

    TargetObservation quota =
        provider.reconcile(
            new TargetRequest(
                new Owner("test-cluster", "payments", "big"),
                target("acct-err", true, "gpt-5.4", "ProvisionedManaged", 500),
                secret()));
    TargetObservation model =
        provider.reconcile(
            new TargetRequest(
                new Owner("test-cluster", "payments", "odd"),
                target("acct-err", true, "gpt-9", "GlobalStandard", 1),
                secret()));

    assertThat(quota.reason()).isEqualTo("QuotaExceeded");
    assertThat(quota.message()).contains("InsufficientQuota").contains("request id");
    assertThat(quota.recheckAfter()).isEqualTo(AzureErrors.QUOTA);
    assertThat(model.reason()).isEqualTo("ModelNotAvailable");
    assertThat(model.state()).isEqualTo(TargetState.Failed);
  }

  @Test
  void aFailedAccountOperationIsReportedNotRetriedHot() {
    sim.faults().add(Fault.failedOperations(Service.ARM, "acct-broken"));
    TargetRequest request =
        new TargetRequest(
            OWNER, target("acct-broken", true, "gpt-4o", "GlobalStandard", 1), secret());

    TargetObservation failed = untilSettled(provider(), request);

    assertThat(failed.reason()).isEqualTo("AccountFailed");
    assertThat(failed.recheckAfter()).isGreaterThanOrEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aThrottledManagementApiIsAnsweredWithItsRetryAfterAndABoundedNumberOfCalls() {
    sim.faults().add(Fault.throttle(Service.ARM, "*", 1.0, Duration.ofSeconds(2)));

    TargetObservation throttled =
        provider()
            .reconcile(
                new TargetRequest(
                    OWNER, target("acct-429", true, "gpt-4o", "GlobalStandard", 1), secret()));

    assertThat(throttled.reason()).isEqualTo("Throttled");
    assertThat(throttled.recheckAfter()).isEqualTo(Duration.ofSeconds(2));
    // One GET and azure-core's three retries, each after the 2 s Retry-After: no hot loop.
    assertThat(sim.calls().count(Service.ARM, "GetAccount")).isLessThanOrEqualTo(4);
  }

  @Test
  void wrongCredentialsAreAReasonWithoutTheSecret() {
    Map<String, String> wrong = new java.util.HashMap<>(secret());
    wrong.put("AZURE_CLIENT_SECRET", "s3cr3t-value-that-must-not-leak");

    TargetObservation refused =
        provider()
            .reconcile(
                new TargetRequest(
                    OWNER, target("acct-x", true, "gpt-4o", "GlobalStandard", 1), wrong));

    assertThat(refused.reason()).isEqualTo("CredentialsInvalid");
    assertThat(refused.message())
        .contains("AADSTS7000215")
        .doesNotContain("s3cr3t-value-that-must-not-leak");
    assertThat(
            provider()
                .reconcile(
                    new TargetRequest(
                        OWNER,
                        target("acct-x", true, "gpt-4o", "GlobalStandard", 1),
                        Map.of("AZURE_CLIENT_ID", "x")))
                .message())
        .contains("missing: AZURE_TENANT_ID");
  }

  @Test
  void aRestartInTheMiddleOfProvisioningCreatesNothingTwice() {
    TargetRequest request =
        new TargetRequest(
            OWNER, target("acct-restart", true, "gpt-4o", "GlobalStandard", 1), secret());
    provider().reconcile(request);

    TargetObservation ready = untilSettled(provider(), request);

    assertThat(ready.state()).isEqualTo(TargetState.Ready);
    assertThat(sim.calls().count(Service.ARM, "CreateOrUpdateAccount")).isEqualTo(1);
    assertThat(sim.calls().count(Service.ARM, "CreateOrUpdateDeployment")).isEqualTo(1);
  }

  @Test
  void deletionRemovesTheDeploymentThenTheAccountItCreatedAndNothingElse() {
    AzureTargetProvider provider = provider();
    TargetRequest request =
        new TargetRequest(
            OWNER, target("acct-gone", true, "gpt-4o", "GlobalStandard", 1), secret());
    untilSettled(provider, request);
    azure
        .deployments()
        .define("someone-elses")
        .withExistingAccount(RG, "acct-gone")
        .withSku(new Sku().withName("GlobalStandard").withCapacity(1))
        .withProperties(
            new DeploymentProperties()
                .withModel(new DeploymentModel().withFormat("OpenAI").withName("gpt-4o")))
        .create();
    TargetObservation first = provider.delete(request);
    TargetObservation second = provider.delete(request);

    assertThat(first.reason()).isEqualTo("DeploymentDeleting");
    assertThat(second.recheckAfter()).isNull();
    assertThat(azure.deployments().list(RG, "acct-gone").stream().map(d -> d.name()))
        .containsExactly("someone-elses");
    assertThat(azure.accounts().getByResourceGroup(RG, "acct-gone")).isNotNull();
  }
}
