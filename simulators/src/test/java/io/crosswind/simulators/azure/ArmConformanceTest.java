package io.crosswind.simulators.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.cognitiveservices.CognitiveServicesManager;
import com.azure.resourcemanager.cognitiveservices.fluent.models.AccountInner;
import com.azure.resourcemanager.cognitiveservices.models.Account;
import com.azure.resourcemanager.cognitiveservices.models.AccountProperties;
import com.azure.resourcemanager.cognitiveservices.models.ApiKeys;
import com.azure.resourcemanager.cognitiveservices.models.Deployment;
import com.azure.resourcemanager.cognitiveservices.models.DeploymentModel;
import com.azure.resourcemanager.cognitiveservices.models.DeploymentProperties;
import com.azure.resourcemanager.cognitiveservices.models.DeploymentProvisioningState;
import com.azure.resourcemanager.cognitiveservices.models.KeyName;
import com.azure.resourcemanager.cognitiveservices.models.ProvisioningState;
import com.azure.resourcemanager.cognitiveservices.models.RegenerateKeyParameters;
import com.azure.resourcemanager.cognitiveservices.models.Sku;
import com.azure.resourcemanager.cognitiveservices.models.Usage;
import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.SimulatorsExtension;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Azure Resource Manager (Microsoft.CognitiveServices 2024-10-01) driven by
 * azure-resourcemanager-cognitiveservices 1.1.0 and azure-identity, unmodified.
 */
class ArmConformanceTest {

  static final String RG = "rg-sim";
  static final String OTHER_RG = "rg-sim-other";

  @RegisterExtension
  static SimulatorsExtension clouds = SimulatorsExtension.withResourceGroups(RG, OTHER_RG);

  static Simulators sim;
  static CognitiveServicesManager manager;

  @BeforeAll
  static void start() {
    sim = clouds.get();
    manager = AzureClients.manager(sim);
  }

  static Account createAccount(String name) {
    return manager
        .accounts()
        .define(name)
        .withExistingResourceGroup(RG)
        .withRegion("eastus2")
        .withKind("OpenAI")
        .withSku(new Sku().withName("S0"))
        .withTags(Map.of("crosswind.io/owner", "test/ns/" + name))
        .withProperties(new AccountProperties().withCustomSubDomainName(name))
        .create();
  }

  static Deployment deploy(String account, String name, String model, String sku, int capacity) {
    return manager
        .deployments()
        .define(name)
        .withExistingAccount(RG, account)
        .withSku(new Sku().withName(sku).withCapacity(capacity))
        .withProperties(
            new DeploymentProperties()
                .withModel(new DeploymentModel().withFormat("OpenAI").withName(model)))
        .create();
  }

  @Test
  void clientSecretCredentialGetsATokenAndAWrongSecretIsRefusedAsEntraRefusesIt() {
    var token =
        AzureClients.clientSecret(sim, sim.credentials().clientSecret())
            .getTokenSync(
                new TokenRequestContext().addScopes("https://management.azure.com/.default"));
    assertThat(token.getToken()).isNotBlank();

    // azure-identity passes MSAL's exception on, wrapped, as it does against Entra itself.
    Throwable refused =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                AzureClients.clientSecret(sim, "wrong")
                    .getTokenSync(
                        new TokenRequestContext()
                            .addScopes("https://management.azure.com/.default")));
    assertThat(refused).hasMessageContaining("AADSTS7000215");
  }

  /** A projected ServiceAccount token as the kube-apiserver issues it (unsigned here). */
  static String serviceAccountToken(String issuer, String subject) {
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"RS256\"}".getBytes());
    String claims =
        new io.vertx.core.json.JsonObject()
            .put("iss", issuer)
            .put("sub", subject)
            .put("aud", new io.vertx.core.json.JsonArray().add("api://AzureADTokenExchange"))
            .put("exp", java.time.Instant.now().plusSeconds(3600).getEpochSecond())
            .encode();
    return header + "." + b64.encodeToString(claims.getBytes()) + ".c2ln";
  }

  static CognitiveServicesManager federatedManager(String clientId, String token) {
    return CognitiveServicesManager.configure()
        .withHttpClient(AzureClients.http(sim))
        .authenticate(
            new com.azure.identity.ClientAssertionCredentialBuilder()
                .tenantId(sim.credentials().tenantId())
                .clientId(clientId)
                .clientAssertion(() -> token)
                .authorityHost(sim.entraAuthorityHost())
                .disableInstanceDiscovery()
                .httpClient(AzureClients.http(sim))
                .build(),
            AzureClients.profile(sim));
  }

  @Test
  void aWorkloadIdentityActsOnlyWithinItsRoleAssignmentsAndOnlyWithTheTokenItTrusts() {
    String issuer = "https://kubernetes.default.svc.cluster.local";
    String operator = "system:serviceaccount:crosswind-system:crosswind-operator";
    String clientId =
        sim.entraDirectory()
            .registerWorkloadIdentity(
                new EntraDirectory.FederatedCredential(issuer, operator),
                "/subscriptions/" + sim.credentials().subscriptionId() + "/resourceGroups/" + RG);
    CognitiveServicesManager scoped =
        federatedManager(clientId, serviceAccountToken(issuer, operator));

    AccountInner made =
        scoped
            .serviceClient()
            .getAccounts()
            .create(
                RG,
                "acct-federated",
                new AccountInner()
                    .withLocation("eastus2")
                    .withKind("OpenAI")
                    .withSku(new Sku().withName("S0"))
                    .withProperties(
                        new AccountProperties().withCustomSubDomainName("acct-federated")));
    assertThat(made.properties().provisioningState()).isEqualTo(ProvisioningState.SUCCEEDED);
    assertThat(scoped.serviceClient().getAccounts().listKeys(RG, "acct-federated").key1())
        .isNotBlank();

    ManagementException outside =
        catchThrowableOfType(
            ManagementException.class,
            () ->
                scoped
                    .serviceClient()
                    .getAccounts()
                    .beginCreate(
                        OTHER_RG,
                        "acct-elsewhere",
                        new AccountInner()
                            .withLocation("eastus2")
                            .withKind("OpenAI")
                            .withSku(new Sku().withName("S0"))));
    assertThat(outside.getResponse().getStatusCode()).isEqualTo(403);
    assertThat(outside.getValue().getCode()).isEqualTo("AuthorizationFailed");
    assertThat(outside.getValue().getMessage())
        .contains("The client '" + clientId + "'")
        .contains("'Microsoft.CognitiveServices/accounts/write'")
        .contains("resourceGroups/" + OTHER_RG + "/providers/Microsoft.CognitiveServices");
    assertThat(manager.accounts().listByResourceGroup(OTHER_RG)).isEmpty();
    // Deleted accounts sit at subscription scope, outside a resource group's roles.
    assertThat(
            catchThrowableOfType(
                    ManagementException.class,
                    () ->
                        scoped
                            .serviceClient()
                            .getDeletedAccounts()
                            .get("eastus2", RG, "acct-federated"))
                .getValue()
                .getCode())
        .isEqualTo("AuthorizationFailed");

    // Another ServiceAccount's token, or a client secret it has none of, signs nobody in.
    Throwable untrusted =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                federatedManager(
                        clientId,
                        serviceAccountToken(
                            issuer, "system:serviceaccount:tenancy-evil:crosswind-operator"))
                    .serviceClient()
                    .getAccounts()
                    .getByResourceGroup(RG, "acct-federated"));
    assertThat(untrusted)
        .hasMessageContaining("AADSTS70021")
        .hasMessageContaining("system:serviceaccount:tenancy-evil:crosswind-operator");
  }

  @Test
  void createsAnAccountThroughTheLongRunningOperationAndReportsItsEndpoint() {
    Account account = createAccount("acct-create");

    assertThat(account.properties().provisioningState()).isEqualTo(ProvisioningState.SUCCEEDED);
    assertThat(account.properties().endpoint())
        .startsWith("https://127.0.0.1:")
        .endsWith("/acct-create/");
    assertThat(account.tags()).containsEntry("crosswind.io/owner", "test/ns/acct-create");
    assertThat(account.kind()).isEqualTo("OpenAI");
    assertThat(sim.calls().count(Service.ARM, "GetOperationStatus")).isPositive();
  }

  @Test
  void beginCreateSendsOnlyThePutAndTheAccountIsCreatingUntilTheOperationEnds() {
    sim.faults().add(Fault.slowOperations(Service.ARM, "acct-slow", Duration.ofSeconds(3)));
    AccountInner inner =
        new AccountInner()
            .withLocation("eastus2")
            .withKind("AIServices")
            .withSku(new Sku().withName("S0"))
            .withProperties(new AccountProperties().withCustomSubDomainName("acct-slow"));

    manager.serviceClient().getAccounts().beginCreate(RG, "acct-slow", inner);

    assertThat(
            manager.accounts().getByResourceGroup(RG, "acct-slow").properties().provisioningState())
        .isEqualTo(ProvisioningState.CREATING);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                manager
                        .accounts()
                        .getByResourceGroup(RG, "acct-slow")
                        .properties()
                        .provisioningState()
                    == ProvisioningState.SUCCEEDED);
  }

  @Test
  void aFailedOperationSurfacesAsAnErrorFromTheSdk() {
    sim.faults().add(Fault.failedOperations(Service.ARM, "acct-fail"));

    ManagementException failed =
        catchThrowableOfType(ManagementException.class, () -> createAccount("acct-fail"));

    assertThat(failed).isNotNull();
    assertThat(
            manager.accounts().getByResourceGroup(RG, "acct-fail").properties().provisioningState())
        .isEqualTo(ProvisioningState.FAILED);
  }

  @Test
  void anUnknownResourceGroupIsResourceGroupNotFound() {
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                manager
                    .accounts()
                    .define("x")
                    .withExistingResourceGroup("rg-missing")
                    .withRegion("eastus2")
                    .withKind("OpenAI")
                    .withSku(new Sku().withName("S0"))
                    .create());

    assertThat(thrown).isInstanceOf(ManagementException.class);
    ManagementException error = (ManagementException) thrown;
    assertThat(error.getValue().getCode()).isEqualTo("ResourceGroupNotFound");
    assertThat(error.getResponse().getStatusCode()).isEqualTo(404);
    assertThat(error.getResponse().getHeaderValue("x-ms-request-id")).isNotBlank();
  }

  @Test
  void aDeploymentOfAnAccountThatDoesNotExistIsParentResourceNotFound() {
    ManagementException error =
        catchThrowableOfType(
            ManagementException.class,
            () -> manager.serviceClient().getDeployments().get(RG, "acct-never", "dep"));

    assertThat(error).isNotNull();
    assertThat(error.getResponse().getStatusCode()).isEqualTo(404);
    assertThat(error.getValue().getCode()).isEqualTo("ParentResourceNotFound");
    assertThat(error.getValue().getMessage())
        .isEqualTo(
            "Can not perform requested operation on nested resource. Parent resource"
                + " 'acct-never' not found.");
  }

  @Test
  void aCustomSubdomainTakenByAnotherAccountIsAConflict() {
    createAccount("acct-taken");

    ManagementException conflict =
        catchThrowableOfType(
            ManagementException.class,
            () ->
                manager
                    .accounts()
                    .define("acct-other")
                    .withExistingResourceGroup(RG)
                    .withRegion("eastus2")
                    .withKind("OpenAI")
                    .withSku(new Sku().withName("S0"))
                    .withProperties(new AccountProperties().withCustomSubDomainName("acct-taken"))
                    .create());

    assertThat(conflict.getResponse().getStatusCode()).isEqualTo(409);
    assertThat(conflict.getValue().getCode()).isEqualTo("CustomDomainInUse");
  }

  @Test
  void aMissingAccountIsResourceNotFound() {
    ManagementException error =
        catchThrowableOfType(
            ManagementException.class, () -> manager.accounts().getByResourceGroup(RG, "nope"));

    assertThat(error.getValue().getCode()).isEqualTo("ResourceNotFound");
  }

  @Test
  void keysAreListedAndRegeneratedOneAtATime() {
    createAccount("acct-keys");
    ApiKeys before = manager.accounts().listKeys(RG, "acct-keys");

    ApiKeys after =
        manager
            .accounts()
            .regenerateKey(
                RG, "acct-keys", new RegenerateKeyParameters().withKeyName(KeyName.KEY1));

    assertThat(after.key1()).isNotEqualTo(before.key1());
    assertThat(after.key2()).isEqualTo(before.key2());
  }

  @Test
  void deploysAModelAtItsDefaultVersionWithRateLimitsAndCountsItsQuota() {
    createAccount("acct-deploy");

    Deployment deployment = deploy("acct-deploy", "gpt4o", "gpt-4o", "GlobalStandard", 50);

    assertThat(deployment.properties().provisioningState())
        .isEqualTo(DeploymentProvisioningState.SUCCEEDED);
    assertThat(deployment.properties().model().version()).isEqualTo("2024-11-20");
    assertThat(deployment.properties().rateLimits())
        .anySatisfy(
            l -> {
              assertThat(l.key()).isEqualTo("token");
              assertThat(l.count()).isEqualTo(50_000f);
            });
    List<Usage> usages = manager.usages().list("eastus2").stream().toList();
    assertThat(usages)
        .filteredOn(u -> u.name().value().equals("OpenAI.GlobalStandard.gpt-4o"))
        .singleElement()
        .satisfies(u -> assertThat(u.currentValue()).isEqualTo(50.0));
    assertThat(manager.models().list("eastus2").stream())
        .anySatisfy(m -> assertThat(m.model().name()).isEqualTo("gpt-5.4"));
  }

  @Test
  void theSamePutTwiceLeavesOneDeploymentAndAnUpdateIsAcceptedUntilDone() {
    createAccount("acct-idem");
    deploy("acct-idem", "d", "gpt-4o", "GlobalStandard", 10);
    deploy("acct-idem", "d", "gpt-4o", "GlobalStandard", 10);
    assertThat(manager.deployments().list(RG, "acct-idem").stream()).hasSize(1);

    sim.faults().add(Fault.slowOperations(Service.ARM, "acct-idem", Duration.ofSeconds(2)));
    manager
        .serviceClient()
        .getDeployments()
        .beginCreateOrUpdate(
            RG,
            "acct-idem",
            "d",
            new com.azure.resourcemanager.cognitiveservices.fluent.models.DeploymentInner()
                .withSku(new Sku().withName("GlobalStandard").withCapacity(20))
                .withProperties(
                    new DeploymentProperties()
                        .withModel(new DeploymentModel().withFormat("OpenAI").withName("gpt-4o"))));

    Deployment updating = manager.deployments().get(RG, "acct-idem", "d");
    assertThat(updating.properties().provisioningState())
        .isEqualTo(DeploymentProvisioningState.ACCEPTED);
    assertThat(updating.sku().capacity()).isEqualTo(20);
  }

  @Test
  void quotaModelAndSkuErrorsCarryArmCodesAndMessages() {
    createAccount("acct-errors");

    ManagementException quota =
        catchThrowableOfType(
            ManagementException.class,
            () -> deploy("acct-errors", "big", "gpt-5.4", "ProvisionedManaged", 500));
    ManagementException model =
        catchThrowableOfType(
            ManagementException.class,
            () -> deploy("acct-errors", "bad", "gpt-9", "GlobalStandard", 1));
    ManagementException sku =
        catchThrowableOfType(
            ManagementException.class,
            () -> deploy("acct-errors", "mini", "gpt-4.1-mini", "ProvisionedManaged", 1));

    assertThat(quota.getValue().getCode()).isEqualTo("InsufficientQuota");
    assertThat(quota.getValue().getMessage())
        .contains("require 500 new capacity")
        .contains("quota limit is 100");
    assertThat(model.getValue().getCode()).isEqualTo("DeploymentModelNotSupported");
    assertThat(model.getValue().getMessage()).contains("Name:gpt-9");
    assertThat(sku.getValue().getCode()).isEqualTo("InvalidResourceProperties");
    assertThat(sku.getResponse().getStatusCode()).isEqualTo(400);
  }

  @Test
  void throttlingWithRetryAfterIsRetriedByTheSdk() {
    createAccount("acct-throttle");
    sim.calls().reset();
    sim.faults().add(Fault.throttle(Service.ARM, "acct-throttle", 0.5, Duration.ofSeconds(1)));

    Account account = manager.accounts().getByResourceGroup(RG, "acct-throttle");

    assertThat(account.name()).isEqualTo("acct-throttle");
    assertThat(sim.calls().count(Service.ARM, "GetAccount")).isEqualTo(2);
  }

  @Test
  void anOutageAnswers503UntilItIsCleared() {
    createAccount("acct-outage");
    sim.faults().add(Fault.outage(Service.ARM, "acct-outage"));
    ManagementException down =
        catchThrowableOfType(
            ManagementException.class, () -> manager.accounts().listKeys(RG, "acct-outage"));
    assertThat(down.getResponse().getStatusCode()).isEqualTo(503);

    sim.faults().clear();
    assertThat(manager.accounts().listKeys(RG, "acct-outage").key1()).isNotBlank();
  }

  @Test
  void readsMakeNoMutatingCalls() {
    createAccount("acct-quiet");
    sim.calls().reset();

    manager.accounts().getByResourceGroup(RG, "acct-quiet");
    manager.deployments().list(RG, "acct-quiet").stream().toList();

    assertThat(sim.calls().mutating()).isZero();
    assertThat(sim.calls().total()).isEqualTo(2);
  }
}
