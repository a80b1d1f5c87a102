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
import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.operator.cloud.Credential;
import io.crosswind.operator.cloud.GrantedIdentity;
import io.crosswind.operator.cloud.Owner;
import io.crosswind.operator.cloud.SharedCredentials;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.cloud.TargetRequest;
import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.SimulatorsExtension;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import io.crosswind.testing.CapturedLogs;
import io.crosswind.testing.Fixtures;
import io.crosswind.testing.MutableClock;
import java.time.Duration;
import java.util.List;
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
  @RegisterExtension static CapturedLogs logs = new CapturedLogs();
  static final java.util.Set<String> SECRETS_SEEN =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

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
    return provider(Duration.ofSeconds(30), java.time.Clock.systemUTC());
  }

  static AzureTargetProvider provider(Duration grace, java.time.Clock clock) {
    return provider(grace, clock, null);
  }

  /** A provider that presents this projected ServiceAccount token for grant identities. */
  static AzureTargetProvider provider(
      Duration grace, java.time.Clock clock, java.nio.file.Path tokenFile) {
    return new AzureTargetProvider(
        new AzureSettings(
            sim.credentials().subscriptionId(),
            sim.entraAuthorityHost(),
            sim.armEndpoint(),
            http,
            java.net.http.HttpClient.newBuilder()
                .sslContext(sim.certificates().clientSslContext())
                .build(),
            grace,
            clock,
            sim.credentials().tenantId(),
            tokenFile));
  }

  /** Remembers a credential this test saw, for the check that no log ever shows one. */
  static Credential seen(Credential c) {
    if (c != null) {
      SECRETS_SEEN.add(c.value());
    }
    return c;
  }

  static TargetHealth probe(AzureTargetProvider provider, TargetObservation o, Credential c) {
    return provider.probe(o.upstream(), c, Duration.ofSeconds(5)).health();
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

  /** An account made outside Crosswind, without its ownership tag. */
  static void someoneElsesAccount(String name) {
    azure
        .accounts()
        .define(name)
        .withExistingResourceGroup(RG)
        .withRegion("eastus2")
        .withKind("OpenAI")
        .withSku(new Sku().withName("S0"))
        .withProperties(new AccountProperties().withCustomSubDomainName(name))
        .create();
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
            "/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/acct-new/deployments/payments_chat_azure-eus2");
    assertThat(ready.details().modelVersion()).isEqualTo("2024-11-20");
    assertThat(ready.details().rateLimits()).isNotEmpty();
    assertThat(azure.accounts().getByResourceGroup(RG, "acct-new").tags())
        .containsEntry("crosswind.io/owner", "test-cluster/payments/chat");
    assertThat(
            azure.deployments().get(RG, "acct-new", "payments_chat_azure-eus2").innerModel().tags())
        .containsEntry("crosswind.io/owner", "test-cluster/payments/chat");
  }

  @Test
  void aDeploymentMadeUnderTheNameCrosswind01DerivedKeepsItAndNoSecondIsMade() {
    AzureTargetProvider provider = provider();
    TargetRequest fresh =
        new TargetRequest(
            OWNER, target("acct-legacy", true, "gpt-4o", "GlobalStandard", 10), secret());
    untilSettled(provider, fresh);
    // What Crosswind 0.1 made: the deployment payments-chat-azure-eus2, tagged as this endpoint's.
    var made = azure.deployments().get(RG, "acct-legacy", "payments_chat_azure-eus2");
    azure
        .serviceClient()
        .getDeployments()
        .beginCreateOrUpdate(RG, "acct-legacy", "payments-chat-azure-eus2", made.innerModel())
        .getFinalResult();
    azure.deployments().delete(RG, "acct-legacy", "payments_chat_azure-eus2");
    String recorded =
        made.id().substring(0, made.id().lastIndexOf('/') + 1) + "payments-chat-azure-eus2";

    TargetObservation kept = untilSettled(provider, fresh.withRecordedResourceId(recorded));

    assertThat(kept.state()).isEqualTo(TargetState.Ready);
    assertThat(kept.resourceId()).isEqualTo(recorded);
    assertThat(kept.upstream().model()).isEqualTo("payments-chat-azure-eus2");
    assertThat(azure.deployments().list(RG, "acct-legacy").stream().map(d -> d.name()))
        .containsExactly("payments-chat-azure-eus2");
  }

  @Test
  void derivedDeploymentNamesOfTwoEndpointsWhoseDashedNamesMeetStayApart() {
    Owner one = new Owner("c", "team", "prod-chat");
    Owner other = new Owner("c", "team-prod", "chat");

    assertThat(AzureDeploymentSpec.legacyDerivedName(one, "azure"))
        .isEqualTo(AzureDeploymentSpec.legacyDerivedName(other, "azure"));
    assertThat(AzureDeploymentSpec.derivedName(one, "azure")).isEqualTo("team_prod-chat_azure");
    assertThat(AzureDeploymentSpec.derivedName(other, "azure")).isEqualTo("team-prod_chat_azure");
    String longer = "a".repeat(41);
    assertThat(AzureDeploymentSpec.derivedName(new Owner("c", "team", longer), "x"))
        .hasSize(64)
        .startsWith("team_" + longer)
        .isNotEqualTo(AzureDeploymentSpec.derivedName(new Owner("c", "team", longer), "y"));
  }

  @Test
  void usesAnExistingAccountAsItIsAndNeverChangesOneItDoesNotOwn() {
    someoneElsesAccount("acct-theirs");
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
    var deployment = azure.deployments().get(RG, "acct-drift", "payments_chat_azure-eus2");
    azure
        .serviceClient()
        .getDeployments()
        .beginCreateOrUpdate(
            RG,
            "acct-drift",
            "payments_chat_azure-eus2",
            deployment.innerModel().withSku(new Sku().withName("GlobalStandard").withCapacity(30)));
    await().until(() -> "DeploymentUpdating".equals(provider.reconcile(request).reason()));

    TargetObservation corrected = untilSettled(provider, request);

    assertThat(corrected.state()).isEqualTo(TargetState.Ready);
    assertThat(
            azure.deployments().get(RG, "acct-drift", "payments_chat_azure-eus2").sku().capacity())
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
    // One GET, no retry inside the reconcile: the next reconcile comes after the Retry-After.
    assertThat(sim.calls().count(Service.ARM, "GetAccount")).isEqualTo(1);
  }

  static String serviceAccountToken(String issuer, String subject) {
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    String claims =
        "{\"iss\":\"%s\",\"sub\":\"%s\",\"aud\":[\"api://AzureADTokenExchange\"],\"exp\":%d}"
            .formatted(issuer, subject, java.time.Instant.now().plusSeconds(3600).getEpochSecond());
    return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes())
        + "."
        + b64.encodeToString(claims.getBytes())
        + ".c2ln";
  }

  @Test
  void aGrantsWorkloadIdentitySignsInWithTheOperatorsTokenAndIsHeldToItsRoles() throws Exception {
    String issuer = "https://oidc.cluster.test";
    String subject = "system:serviceaccount:crosswind-system:crosswind-operator";
    String clientId =
        sim.entraDirectory()
            .registerWorkloadIdentity(
                new io.crosswind.simulators.azure.EntraDirectory.FederatedCredential(
                    issuer, subject),
                "/subscriptions/" + sim.credentials().subscriptionId() + "/resourceGroups/" + RG);
    java.nio.file.Path token = java.nio.file.Files.createTempFile("sa-token", ".jwt");
    // The kubelet rotates the token: the provider reads the file when it signs in, not before.
    java.nio.file.Files.writeString(token, "not yet a token");
    AzureTargetProvider provider =
        provider(Duration.ofSeconds(30), java.time.Clock.systemUTC(), token);
    java.nio.file.Files.writeString(token, serviceAccountToken(issuer, subject));
    GrantedIdentity identity = new GrantedIdentity("payments", null, clientId, null);

    TargetObservation inside =
        untilSettled(
            provider,
            new TargetRequest(
                    OWNER, target("acct-federated", true, "gpt-4o", "GlobalStandard", 1), Map.of())
                .withIdentity(identity));
    Target elsewhere =
        Fixtures.endpointSpec(
                """
                model: m
                targets:
                  - name: azure-eus2
                    azure:
                      resourceGroup: rg-another-team
                      account: {name: acct-elsewhere, create: {location: eastus2}}
                      deployment:
                        model: {name: gpt-4o}
                        sku: {name: GlobalStandard, capacity: 1}
                """)
            .getTargets()
            .get(0);
    TargetObservation outside =
        provider.reconcile(new TargetRequest(OWNER, elsewhere, Map.of()).withIdentity(identity));
    TargetObservation noToken =
        provider(Duration.ofSeconds(30), java.time.Clock.systemUTC(), null)
            .reconcile(
                new TargetRequest(
                        OWNER,
                        target("acct-federated", true, "gpt-4o", "GlobalStandard", 1),
                        Map.of())
                    .withIdentity(identity));

    assertThat(inside.state()).isEqualTo(TargetState.Ready);
    assertThat(outside.reason()).isEqualTo("AccessDenied");
    assertThat(outside.message())
        .contains("403 AuthorizationFailed: The client '" + clientId + "'")
        .contains("over scope '/subscriptions/")
        .contains("/resourceGroups/rg-another-team/providers/Microsoft.CognitiveServices");
    assertThat(noToken.reason()).isEqualTo("WorkloadIdentityUnavailable");
    assertThat(noToken.message())
        .contains("CloudGrant payments names workload identity " + clientId)
        .contains("--azure-federated-token-file");
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

  @Test
  void anAccountOrResourceGroupDeletedOutsideCrosswindCountsAsDeletedAndHoldsNothingUp() {
    AzureTargetProvider provider = provider();
    TargetRequest request =
        new TargetRequest(
            OWNER, target("acct-vanished", true, "gpt-4o", "GlobalStandard", 1), secret());
    untilSettled(provider, request);
    azure.accounts().deleteByResourceGroup(RG, "acct-vanished");

    TargetObservation gone = provider.delete(request);

    assertThat(gone.deleted()).as(gone.toString()).isTrue();
    assertThat(gone.message())
        .isEqualTo(
            "The target's account acct-vanished no longer exists, and its deployment went with"
                + " it.");

    Target inMissingGroup = target("acct-elsewhere", true, "gpt-4o", "GlobalStandard", 1);
    inMissingGroup.getAzure().setResourceGroup("rg-deleted-by-someone");
    TargetObservation noGroup = provider.delete(new TargetRequest(OWNER, inMissingGroup, secret()));

    assertThat(noGroup.deleted()).as(noGroup.toString()).isTrue();
    assertThat(noGroup.message()).contains("resource group rg-deleted-by-someone no longer exists");
  }

  @Test
  void anAccountItDeletedIsRestoredWhenItsEndpointComesBackAndSomeoneElsesIsNot() {
    AzureTargetProvider provider = provider();
    TargetRequest request =
        new TargetRequest(
            OWNER, target("acct-back", true, "gpt-4o", "GlobalStandard", 1), secret());
    String key = untilSettled(provider, request).credential().value();
    SECRETS_SEEN.add(key);
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> provider.delete(request).deleted());
    assertThat(azure.deletedAccounts().get("eastus2", RG, "acct-back")).isNotNull();

    TargetObservation first = provider.reconcile(request);
    TargetObservation ready = untilSettled(provider, request);

    assertThat(first.reason()).isEqualTo("AccountRestoring");
    assertThat(first.events()).extracting(e -> e.reason()).containsExactly("AccountRestoring");
    assertThat(ready.state()).as(ready.message()).isEqualTo(TargetState.Ready);
    assertThat(ready.credential().value()).as("a restored account keeps its keys").isEqualTo(key);

    someoneElsesAccount("acct-was-theirs");
    azure.accounts().deleteByResourceGroup(RG, "acct-was-theirs");
    TargetRequest theirs =
        new TargetRequest(
            OWNER, target("acct-was-theirs", true, "gpt-4o", "GlobalStandard", 1), secret());
    sim.calls().reset();

    TargetObservation refused = provider.reconcile(theirs);

    assertThat(refused.state()).isEqualTo(TargetState.Failed);
    assertThat(refused.reason()).isEqualTo("AccountSoftDeleted");
    assertThat(refused.message()).contains("acct-was-theirs").contains("Purge it");
    assertThat(sim.calls().mutating()).as("someone else's account is left alone").isZero();

    azure.deletedAccounts().purge("eastus2", RG, "acct-was-theirs");
    assertThat(provider.reconcile(theirs).reason()).isEqualTo("AccountCreating");
  }

  @Test
  void aReadyTargetPublishesKey1WithTheAccountsOpenAiV1UrlAndTheProbeSaysHealthy() {
    AzureTargetProvider provider = provider();
    TargetRequest request =
        new TargetRequest(
            OWNER, target("acct-keys", true, "gpt-4o", "GlobalStandard", 5), secret());

    TargetObservation ready = untilSettled(provider, request);

    assertThat(ready.upstream().baseUrl()).endsWith("/acct-keys/openai/v1");
    assertThat(ready.upstream().model()).isEqualTo("payments_chat_azure-eus2");
    assertThat(ready.upstream().region()).isEqualTo("eastus2");
    Credential key = seen(ready.credential());
    assertThat(key.name()).isEqualTo("key1");
    assertThat(key.value()).isEqualTo(azure.accounts().listKeys(RG, "acct-keys").key1());
    assertThat(key.toString()).doesNotContain(key.value());
    assertThat(probe(provider, ready, key)).isEqualTo(TargetHealth.Healthy);

    sim.calls().reset();
    TargetObservation again = provider.reconcile(request.withPublished(key));
    assertThat(again.credential()).isEqualTo(key);
    assertThat(sim.calls().mutating()).as("a steady reconcile changes nothing in Azure").isZero();
  }

  @Test
  void rotationPublishesAFreshOtherKeyFirstAndRegeneratesTheOldOneOnlyAfterTheGrace() {
    MutableClock clock = new MutableClock(java.time.Instant.parse("2026-12-01T10:00:00Z"));
    AzureTargetProvider provider = provider(Duration.ofSeconds(30), clock);
    TargetRequest request =
        new TargetRequest(OWNER, target("acct-rot", true, "gpt-4o", "GlobalStandard", 5), secret());
    TargetObservation ready = untilSettled(provider, request);
    Credential key1 = seen(ready.credential());
    String oldKey2 = azure.accounts().listKeys(RG, "acct-rot").key2();

    TargetObservation swapped =
        provider.reconcile(request.withPublished(key1).withRotationRequest("2026-12-01"));
    Credential key2 = seen(swapped.credential());

    assertThat(key2.name()).isEqualTo("key2");
    assertThat(key2.value()).isNotEqualTo(oldKey2);
    assertThat(key2.rotatedFor()).isEqualTo("2026-12-01");
    assertThat(key2.pendingRevoke()).isEqualTo("key1");
    assertThat(swapped.recheckAfter()).isLessThanOrEqualTo(Duration.ofSeconds(30));
    assertThat(swapped.events()).extracting(e -> e.reason()).contains("CredentialsRotating");
    assertThat(probe(provider, ready, key1))
        .as("the old key works during the grace")
        .isEqualTo(TargetHealth.Healthy);
    assertThat(probe(provider, ready, key2)).isEqualTo(TargetHealth.Healthy);

    sim.calls().reset();
    TargetObservation waiting =
        provider.reconcile(request.withPublished(key2).withRotationRequest("2026-12-01"));
    assertThat(waiting.credential()).isEqualTo(key2);
    assertThat(sim.calls().count(Service.ARM, "RegenerateKey")).isZero();

    clock.advance(Duration.ofSeconds(31));
    TargetObservation done =
        provider.reconcile(request.withPublished(key2).withRotationRequest("2026-12-01"));

    assertThat(done.credential().value()).isEqualTo(key2.value());
    assertThat(done.credential().pendingRevoke()).isNull();
    assertThat(done.events()).extracting(e -> e.reason()).contains("CredentialsRotated");
    assertThat(probe(provider, ready, key1)).isEqualTo(TargetHealth.Unhealthy);
    assertThat(probe(provider, ready, done.credential())).isEqualTo(TargetHealth.Healthy);
    TargetObservation settled =
        provider.reconcile(
            request.withPublished(done.credential()).withRotationRequest("2026-12-01"));
    assertThat(settled.credential()).isEqualTo(done.credential());
  }

  @Test
  void aRotationWaitsForEveryEndpointOfTheAccountToMoveBeforeTheOldKeyGoes() {
    MutableClock clock = new MutableClock(java.time.Instant.parse("2026-12-01T10:00:00Z"));
    AzureTargetProvider provider = provider(Duration.ofSeconds(30), clock);
    Owner twoOwner = new Owner("test-cluster", "payments", "two");
    TargetRequest one =
        new TargetRequest(
            OWNER, target("acct-share", true, "gpt-4o", "GlobalStandard", 5), secret());
    TargetRequest two =
        new TargetRequest(
            twoOwner, target("acct-share", true, "gpt-4o", "GlobalStandard", 5), secret());
    Credential oneKey = seen(untilSettled(provider, one).credential());
    Credential twoKey = seen(untilSettled(provider, two.withShared(others(oneKey))).credential());
    assertThat(twoKey.name())
        .as("it joins the key the account's endpoints publish")
        .isEqualTo("key1");

    // One rotates: the fresh key2 for it, key1 to retire.
    TargetObservation rotating =
        provider.reconcile(
            one.withPublished(oneKey).withRotationRequest("r1").withShared(others(twoKey)));
    Credential oneFresh = seen(rotating.credential());
    assertThat(oneFresh.name()).isEqualTo("key2");
    assertThat(oneFresh.pendingRevoke()).isEqualTo("key1");

    // Past the grace, key1 stays while two still publishes it.
    clock.advance(Duration.ofSeconds(31));
    sim.calls().reset();
    TargetObservation held =
        provider.reconcile(
            one.withPublished(oneFresh).withRotationRequest("r1").withShared(others(twoKey)));
    assertThat(held.credential()).isEqualTo(oneFresh);
    assertThat(sim.calls().count(Service.ARM, "RegenerateKey")).isZero();

    // A second rotation, asked on two meanwhile, waits for the first; two moves to key2.
    TargetObservation moved =
        provider.reconcile(
            two.withPublished(twoKey).withRotationRequest("r2").withShared(others(oneFresh)));
    Credential twoFresh = seen(moved.credential());
    assertThat(twoFresh.name()).isEqualTo("key2");
    assertThat(twoFresh.value()).isEqualTo(oneFresh.value());
    assertThat(moved.events()).extracting(e -> e.reason()).containsExactly("CredentialsSwitched");
    assertThat(sim.calls().count(Service.ARM, "RegenerateKey")).isZero();
    assertThat(probe(provider, moved, twoKey))
        .as("key1 still works")
        .isEqualTo(TargetHealth.Healthy);

    // Two moved just now: its readers get their grace too.
    TargetObservation graced =
        provider.reconcile(
            one.withPublished(oneFresh).withRotationRequest("r1").withShared(others(twoFresh)));
    assertThat(sim.calls().count(Service.ARM, "RegenerateKey")).isZero();
    assertThat(graced.recheckAfter()).isLessThanOrEqualTo(Duration.ofSeconds(30));

    clock.advance(Duration.ofSeconds(31));
    TargetObservation done =
        provider.reconcile(
            one.withPublished(oneFresh).withRotationRequest("r1").withShared(others(twoFresh)));
    assertThat(done.events()).extracting(e -> e.reason()).contains("CredentialsRotated");
    assertThat(sim.calls().count(Service.ARM, "RegenerateKey")).isEqualTo(1);
    assertThat(probe(provider, done, twoKey)).isEqualTo(TargetHealth.Unhealthy);
    assertThat(probe(provider, done, twoFresh))
        .as("the key two publishes was never regenerated")
        .isEqualTo(TargetHealth.Healthy);
  }

  /** What another endpoint of the account publishes, as the operator's cache would say. */
  static SharedCredentials others(Credential... published) {
    return account -> account.endsWith("/accounts/acct-share") ? List.of(published) : List.of();
  }

  @Test
  void aKeyRegeneratedOutsideCrosswindIsRepublishedWithAWarning() {
    AzureTargetProvider provider = provider();
    TargetRequest request =
        new TargetRequest(OWNER, target("acct-ext", true, "gpt-4o", "GlobalStandard", 5), secret());
    Credential key1 = seen(untilSettled(provider, request).credential());
    azure
        .serviceClient()
        .getAccounts()
        .regenerateKey(
            RG,
            "acct-ext",
            new com.azure.resourcemanager.cognitiveservices.models.RegenerateKeyParameters()
                .withKeyName(com.azure.resourcemanager.cognitiveservices.models.KeyName.KEY1));

    TargetObservation replaced = provider.reconcile(request.withPublished(key1));

    assertThat(seen(replaced.credential()).value())
        .isNotEqualTo(key1.value())
        .isEqualTo(azure.accounts().listKeys(RG, "acct-ext").key1());
    assertThat(replaced.events())
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).isEqualTo("CredentialsReplaced"));
  }

  @Test
  void theProbeTellsAThrottledDeploymentFromAnUnreachableOne() {
    AzureTargetProvider provider = provider();
    TargetRequest request =
        new TargetRequest(
            OWNER, target("acct-probe", true, "gpt-4o", "GlobalStandard", 5), secret());
    TargetObservation ready = untilSettled(provider, request);
    Credential key = seen(ready.credential());

    sim.faults().add(Fault.throttle(Service.AZURE_OPENAI, "*", 1.0, Duration.ofSeconds(2)));
    assertThat(probe(provider, ready, key)).isEqualTo(TargetHealth.Throttled);
    sim.faults().clear();
    sim.faults().add(Fault.outage(Service.AZURE_OPENAI, "*"));
    assertThat(probe(provider, ready, key)).isEqualTo(TargetHealth.Unhealthy);
    sim.faults().clear();
    sim.refuseConnections(Service.AZURE_OPENAI);
    try {
      assertThat(probe(provider, ready, key)).isEqualTo(TargetHealth.Unhealthy);
    } finally {
      sim.restore(Service.AZURE_OPENAI);
    }
    assertThat(probe(provider, ready, key)).isEqualTo(TargetHealth.Healthy);
  }

  @org.junit.jupiter.api.AfterAll
  static void noLogLineEverShowedAKeyOrTheClientSecret() {
    assertThat(SECRETS_SEEN).isNotEmpty();
    String text = logs.text();
    for (String secret : SECRETS_SEEN) {
      assertThat(text).doesNotContain(secret);
    }
    assertThat(text)
        .doesNotContain(sim.credentials().clientSecret())
        .doesNotContain("s3cr3t-value-that-must-not-leak");
  }
}
