package io.crosswind.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.TargetStatus;
import io.crosswind.operator.CrosswindOperator;
import io.crosswind.operator.OperatorConfig;
import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.core.Service;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One operator, two teams and an attacker, each in its own namespace, with the CloudGrants a
 * platform admin wrote. Every attempt to reach past a grant is refused with a reason a person can
 * act on, makes no cloud call that could change anything, and leaves the victim as it was.
 */
@ExtendWith(RealCluster.class)
class TenancyE2ETest {

  static final String PAYMENTS = "tenancy-payments";
  static final String EVIL = "tenancy-evil";
  static final String STRANGER = "tenancy-stranger";
  static final String FEDERATED = "tenancy-federated";
  static final String OPERATOR_SA = "crosswind-operator";
  static final String OPERATOR_NS = "crosswind-tenancy";
  static final String ACCOUNT = "tenancy-payments-openai";

  static KubernetesClient client;
  static Simulators clouds;
  static CrosswindOperator operator;
  static String federatedClientId;

  @BeforeAll
  static void start() throws Exception {
    client = RealCluster.get().adminClient();
    Resources.installCrds(client);
    clouds = SimulatedClouds.start(Set.of("rg-payments", "rg-evil", "rg-federated"));
    SimulatedClouds.operatorIdentity(clouds);
    // The operator's own AWS identity may only assume roles (docs/security.md).
    clouds.awsIdentities().userMayOnlyAssumeRoles();
    for (String ns : List.of(OPERATOR_NS, PAYMENTS, EVIL, STRANGER, FEDERATED)) {
      Resources.namespace(client, ns);
    }
    Path token = operatorToken();
    for (String ns : List.of(PAYMENTS, EVIL, STRANGER)) {
      client
          .secrets()
          .inNamespace(ns)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("azure-sp")
                  .endMetadata()
                  .addToStringData("AZURE_TENANT_ID", clouds.credentials().tenantId())
                  .addToStringData("AZURE_CLIENT_ID", clouds.credentials().clientId())
                  .addToStringData("AZURE_CLIENT_SECRET", clouds.credentials().clientSecret())
                  .build())
          .serverSideApply();
    }
    grant(
        "tenancy-payments",
        """
        namespaces: [%s]
        azure: [{resourceGroups: [rg-payments], createAccounts: true}]
        bedrock:
          regions: [us-east-1]
          useOperatorIdentity: true
          provisionedThroughput: {maxModelUnits: 1}
        """
            .formatted(PAYMENTS));
    grant(
        "tenancy-evil",
        """
        namespaces: [%s]
        azure: [{resourceGroups: [rg-evil], createAccounts: true}]
        bedrock: {regions: [us-east-1], useOperatorIdentity: true}
        """
            .formatted(EVIL));
    Path ca = clouds.certificates().writeCaPem(Files.createTempFile("crosswind-tenancy", ".pem"));
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--operator-namespace=" + OPERATOR_NS,
                "--watch-namespaces=" + String.join(",", PAYMENTS, EVIL, STRANGER, FEDERATED),
                "--azure-federated-token-file=" + token,
                "--azure-tenant-id=" + clouds.credentials().tenantId(),
                "--no-leader-election",
                "--cluster-id=tenancy",
                "--ops-address=127.0.0.1",
                "--ops-port=0",
                "--probe-interval=0s"));
    flags.addAll(SimulatedClouds.operatorFlags(clouds, ca));
    operator =
        CrosswindOperator.start(
            OperatorConfig.parse(flags.toArray(String[]::new)), RealCluster.get().adminClient());

    apply(PAYMENTS, "chat", azure("rg-payments", ACCOUNT, true, "Gateway"));
    awaitReason(PAYMENTS, "chat", "Serving");
  }

  /**
   * The operator's ServiceAccount token for Entra ID's exchange, as the kubelet projects it: issued
   * by the real API server (TokenRequest). A workload identity trusts its issuer and subject only.
   */
  static Path operatorToken() throws Exception {
    client
        .serviceAccounts()
        .inNamespace(OPERATOR_NS)
        .resource(
            new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata()
                .withName(OPERATOR_SA)
                .endMetadata()
                .build())
        .serverSideApply();
    String jwt =
        client
            .serviceAccounts()
            .inNamespace(OPERATOR_NS)
            .withName(OPERATOR_SA)
            .tokenRequest(
                new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder()
                    .withNewSpec()
                    .withAudiences("api://AzureADTokenExchange")
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Map<?, ?> claims =
        Serialization.unmarshal(
            new String(
                java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8),
            Map.class);
    assertThat(claims.get("sub"))
        .isEqualTo("system:serviceaccount:" + OPERATOR_NS + ":" + OPERATOR_SA);
    // The platform team's setup for grant tenancy-federated: an identity that trusts the
    // operator's ServiceAccount and holds a role on rg-federated only.
    federatedClientId =
        clouds
            .entraDirectory()
            .registerWorkloadIdentity(
                new io.crosswind.simulators.azure.EntraDirectory.FederatedCredential(
                    (String) claims.get("iss"), (String) claims.get("sub")),
                "/subscriptions/"
                    + clouds.credentials().subscriptionId()
                    + "/resourceGroups/rg-federated");
    Path file = Files.createTempFile("crosswind-tenancy-token", ".jwt");
    Files.writeString(file, jwt);
    return file;
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (clouds != null) {
      clouds.close();
    }
    if (client != null) {
      client.close();
    }
  }

  static void grant(String name, String spec) {
    client
        .resource(
            Serialization.unmarshal(
                "apiVersion: crosswind.io/v1alpha1\nkind: CloudGrant\nmetadata: {name: "
                    + name
                    + "}\nspec:\n"
                    + spec.indent(2),
                GenericKubernetesResource.class))
        .forceConflicts()
        .serverSideApply();
  }

  static void apply(String namespace, String name, String spec) {
    apply(namespace, name, spec, Map.of());
  }

  static void apply(String namespace, String name, String spec, Map<String, String> annotations) {
    ModelEndpoint endpoint =
        Serialization.unmarshal(
            "apiVersion: crosswind.io/v1alpha1\nkind: ModelEndpoint\nmetadata: {namespace: "
                + namespace
                + ", name: "
                + name
                + "}\nspec:\n"
                + spec.indent(2),
            ModelEndpoint.class);
    endpoint.getMetadata().setAnnotations(annotations);
    client.resource(endpoint).forceConflicts().serverSideApply();
  }

  static String azure(String rg, String account, boolean create, String mode) {
    return """
        model: gpt-4o
        endpoint: {mode: %s}
        targets:
          - name: azure
            credentialsSecretRef: {name: azure-sp}
            azure:
              resourceGroup: %s
              account: {name: %s%s}
              deployment:
                model: {name: gpt-4o}
                sku: {name: GlobalStandard, capacity: 1}
        """
        .formatted(mode, rg, account, create ? ", create: {location: eastus2}" : "");
  }

  static ModelEndpoint get(String namespace, String name) {
    return client.resources(ModelEndpoint.class).inNamespace(namespace).withName(name).get();
  }

  static Condition ready(String namespace, String name) {
    ModelEndpoint e = get(namespace, name);
    if (e == null || e.getStatus() == null || e.getStatus().getConditions() == null) {
      return null;
    }
    return e.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  static void awaitReason(String namespace, String name, String reason) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(ready(namespace, name)).isNotNull();
              assertThat(ready(namespace, name).getReason()).isEqualTo(reason);
            });
  }

  /**
   * The endpoint's first target in status. Fails with an assertion (which {@code untilAsserted}
   * retries) while the operator has not written it yet, never with a NullPointerException.
   */
  static TargetStatus target(String namespace, String name) {
    ModelEndpoint e = get(namespace, name);
    assertThat(e).as("endpoint %s/%s", namespace, name).isNotNull();
    assertThat(e.getStatus()).as("status of %s/%s", namespace, name).isNotNull();
    assertThat(e.getStatus().getTargets()).as("targets of %s/%s", namespace, name).isNotEmpty();
    return e.getStatus().getTargets().get(0);
  }

  /** What of the victim an attacker could change: its status, route table and account keys. */
  record Victim(Object status, Map<String, String> routeTable, Object keys) {}

  static Victim victim() {
    return new Victim(
        get(PAYMENTS, "chat").getStatus().getTargets(),
        client
            .secrets()
            .inNamespace(OPERATOR_NS)
            .withName("crosswind-routes-" + PAYMENTS + ".chat")
            .get()
            .getData(),
        SimulatedClouds.azure(clouds).accounts().listKeys("rg-payments", ACCOUNT).key1());
  }

  static void assertNothingChangedIn(Service service, String... operations) {
    for (String operation : operations) {
      assertThat(clouds.calls().count(service, operation)).as(operation).isZero();
    }
  }

  @Test
  void anotherTeamsAccountIsNeitherUsedPublishedNorRotated() {
    Victim before = victim();
    clouds.calls().reset();

    apply(
        EVIL,
        "borrow",
        azure("rg-payments", ACCOUNT, false, "Direct"),
        Map.of(ModelEndpoint.ROTATE_CREDENTIALS, "steal-1"));

    awaitReason(EVIL, "borrow", "NotGranted");
    assertThat(target(EVIL, "borrow").getMessage())
        .isEqualTo(
            "No CloudGrant for namespace "
                + EVIL
                + " allows target azure (CloudGrant tenancy-evil: resource group rg-payments is not"
                + " in spec.azure[].resourceGroups). A platform admin adds it to a grant, or the"
                + " target changes to what a grant allows.");
    assertThat(client.secrets().inNamespace(EVIL).withName("borrow-endpoint").get())
        .as("nothing published")
        .isNull();
    assertNothingChangedIn(
        Service.ARM, "CreateOrUpdateDeployment", "RegenerateKey", "ListKeys", "GetAccount");
    assertThat(victim()).isEqualTo(before);
  }

  @Test
  void aTooBroadGrantStillDoesNotShareAnAccountAnotherNamespaceMade() {
    // An admin's mistake: evil may create accounts in payments' resource group too.
    grant(
        "tenancy-evil-broad",
        """
        namespaces: [%s]
        azure: [{resourceGroups: [rg-payments], createAccounts: true}]
        """
            .formatted(EVIL));
    try {
      Victim before = victim();
      clouds.calls().reset();

      apply(EVIL, "squat", azure("rg-payments", ACCOUNT, true, "Gateway"));

      awaitReason(EVIL, "squat", "NotOwned");
      assertThat(target(EVIL, "squat").getMessage())
          .startsWith(
              "Azure AI account "
                  + ACCOUNT
                  + " was created by Crosswind for another namespace, and an account serves only"
                  + " the namespace that made it.");
      assertNothingChangedIn(
          Service.ARM, "CreateOrUpdateAccount", "CreateOrUpdateDeployment", "RegenerateKey");
      assertThat(victim()).isEqualTo(before);
    } finally {
      client
          .genericKubernetesResources("crosswind.io/v1alpha1", "CloudGrant")
          .withName("tenancy-evil-broad")
          .delete();
    }
  }

  @Test
  void anotherTeamsAwsRoleIsRefusedByStsEvenWhereAGrantWronglyAllowsIt() {
    String account = clouds.credentials().awsAccountId();
    String team = "arn:aws:iam::" + account + ":role/tenancy-payments-team";
    clouds
        .awsIdentities()
        .requireSessionTags("tenancy-payments-team", Map.of("crosswind.io/namespace", PAYMENTS));
    // An admin's mistake: evil may name payments' role.
    grant(
        "tenancy-evil-role",
        """
        namespaces: [%s]
        bedrock: {regions: [us-east-1], roleArns: ["%s"]}
        """
            .formatted(EVIL, team));
    try {
      clouds.calls().reset();

      apply(
          EVIL,
          "assume",
          """
          model: gpt-oss-20b
          targets:
            - name: bedrock
              bedrock: {region: us-east-1, modelId: openai.gpt-oss-20b-1:0, roleArn: "%s"}
          """
              .formatted(team));

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> assertThat(target(EVIL, "assume").getReason()).isEqualTo("AccessDenied"));
      assertThat(target(EVIL, "assume").getMessage())
          .contains("is not authorized to perform: sts:AssumeRole on resource: " + team);
      assertNothingChangedIn(
          Service.BEDROCK, "CreateInferenceProfile", "CreateProvisionedModelThroughput");
    } finally {
      client
          .genericKubernetesResources("crosswind.io/v1alpha1", "CloudGrant")
          .withName("tenancy-evil-role")
          .delete();
    }
  }

  @Test
  void theCloudsAuthorizeTheGrantsOwnIdentitiesNotTheOperators() {
    String account = clouds.credentials().awsAccountId();
    String role = "arn:aws:iam::" + account + ":role/tenancy-federated-bedrock";
    clouds
        .awsIdentities()
        .requireSessionTags(
            "tenancy-federated-bedrock", Map.of("crosswind.io/namespace", FEDERATED));
    // An admin's mistake: the grant also lists rg-evil, where its identity has no role.
    grant(
        "tenancy-federated",
        """
        namespaces: [%s]
        azure:
          - resourceGroups: [rg-federated, rg-evil]
            createAccounts: true
            workloadIdentity: {clientId: %s}
        bedrock: {regions: [us-east-1], roleArn: "%s"}
        """
            .formatted(FEDERATED, federatedClientId, role));
    String ownIdentity = "    credentialsSecretRef: {name: azure-sp}\n";
    List<String> evilAccounts = accountsIn("rg-evil");

    apply(
        FEDERATED,
        "own",
        azure("rg-federated", "tenancy-federated-openai", true, "Gateway")
            .replace(ownIdentity, ""));
    apply(
        FEDERATED,
        "reach",
        azure("rg-evil", "tenancy-federated-reach", true, "Gateway").replace(ownIdentity, ""));
    apply(
        FEDERATED,
        "bedrock",
        """
        model: gpt-oss-20b
        endpoint: {mode: Direct}
        targets:
          - name: bedrock
            bedrock: {region: us-east-1, modelId: openai.gpt-oss-20b-1:0}
        """);

    awaitReason(FEDERATED, "own", "Serving");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(target(FEDERATED, "reach").getReason()).isEqualTo("AccessDenied"));
    assertThat(target(FEDERATED, "reach").getMessage())
        .contains("403 AuthorizationFailed: The client '" + federatedClientId + "'")
        .contains("Microsoft.CognitiveServices/accounts/read");
    assertThat(accountsIn("rg-evil")).isEqualTo(evilAccounts);
    // The Bedrock key was minted by a session of the grant's role, tagged with the namespace.
    awaitReason(FEDERATED, "bedrock", "Serving");
    String key =
        new String(
            java.util.Base64.getDecoder()
                .decode(
                    client
                        .secrets()
                        .inNamespace(FEDERATED)
                        .withName("bedrock-endpoint")
                        .get()
                        .getData()
                        .get("OPENAI_API_KEY")),
            java.nio.charset.StandardCharsets.UTF_8);
    String presigned =
        new String(
            java.util.Base64.getDecoder().decode(key.substring("bedrock-api-key-".length())),
            java.nio.charset.StandardCharsets.UTF_8);
    String accessKey =
        java.net.URLDecoder.decode(
                presigned.replaceFirst(".*X-Amz-Credential=([^&]+).*", "$1"),
                java.nio.charset.StandardCharsets.UTF_8)
            .split("/")[0];
    assertThat(clouds.awsIdentities().find(accessKey))
        .hasValueSatisfying(
            who -> assertThat(who.arn()).contains(":assumed-role/tenancy-federated-bedrock/"));
  }

  static List<String> accountsIn(String resourceGroup) {
    return SimulatedClouds.azure(clouds).accounts().listByResourceGroup(resourceGroup).stream()
        .map(a -> a.name())
        .sorted()
        .toList();
  }

  @Test
  void provisionedThroughputBeyondTheGrantIsNeverBought() {
    clouds.calls().reset();

    apply(
        PAYMENTS,
        "greedy",
        """
        model: gpt-5.4
        targets:
          - name: bedrock
            bedrock:
              region: us-east-1
              modelId: openai.gpt-5.4
              throughput: {mode: Provisioned, modelUnits: 5, commitment: SixMonths}
        """);

    awaitReason(PAYMENTS, "greedy", "NotGranted");
    assertThat(target(PAYMENTS, "greedy").getMessage())
        .contains("5 model units exceed spec.bedrock.provisionedThroughput.maxModelUnits (1)");
    assertNothingChangedIn(
        Service.BEDROCK, "CreateProvisionedModelThroughput", "CreateInferenceProfile");
  }

  @Test
  void aNamespaceNoGrantCoversGetsNothingUntilAnAdminGrantsIt() {
    clouds.calls().reset();

    apply(STRANGER, "chat", azure("rg-evil", "tenancy-stranger-openai", true, "Gateway"));

    awaitReason(STRANGER, "chat", "NotGranted");
    assertThat(target(STRANGER, "chat").getMessage())
        .startsWith("No CloudGrant covers namespace " + STRANGER + ",");
    assertNothingChangedIn(Service.ARM, "GetAccount", "CreateOrUpdateAccount");

    // The grant alone wakes the endpoint: no edit, no restart.
    grant(
        "tenancy-stranger",
        """
        namespaces: [%s]
        azure: [{resourceGroups: [rg-evil], createAccounts: true}]
        """
            .formatted(STRANGER));
    awaitReason(STRANGER, "chat", "Serving");
  }

  @Test
  void aReferenceCannotNameAnotherNamespace() {
    // The API has no namespace in a reference: a strict client is refused by the API server, and
    // what a lax one sends is pruned, so the reference stays in the endpoint's own namespace.
    client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: crosswind.io/v1alpha1
                kind: RoutingPolicy
                metadata: {namespace: %s, name: payments-policy}
                spec:
                  strategy: Failover
                  targets: [{provider: AzureOpenAI, priority: 1}]
                """
                    .formatted(PAYMENTS),
                GenericKubernetesResource.class))
        .serverSideApply();
    String reaching =
        """
        apiVersion: crosswind.io/v1alpha1
        kind: ModelEndpoint
        metadata: {namespace: %s, name: reach}
        spec:
          model: gpt-4o
          routingPolicyRef: {name: payments-policy, namespace: %s}
          targets:
            - name: azure
              credentialsSecretRef: {name: azure-sp, namespace: %s}
              azure:
                resourceGroup: rg-evil
                account: {name: tenancy-evil-reach, create: {location: eastus2}}
                deployment:
                  model: {name: gpt-4o}
                  sku: {name: GlobalStandard, capacity: 1}
        """
            .formatted(EVIL, PAYMENTS, PAYMENTS);
    GenericKubernetesResource endpoint =
        Serialization.unmarshal(reaching, GenericKubernetesResource.class);

    assertThatThrownBy(
            () ->
                client
                    .resource(endpoint)
                    .fieldValidation(FieldValidateable.Validation.STRICT)
                    .create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("unknown field \"spec.routingPolicyRef.namespace\"")
        .hasMessageContaining("unknown field \"spec.targets[0].credentialsSecretRef.namespace\"");

    client.resource(endpoint).fieldValidation(FieldValidateable.Validation.IGNORE).create();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(ready(EVIL, "reach"))
                    .isNotNull()
                    .extracting(Condition::getReason)
                    .isEqualTo("RoutingPolicyNotFound"));
    assertThat(get(EVIL, "reach").getSpec().getRoutingPolicyRef().getName())
        .isEqualTo("payments-policy");
    assertThat(ready(EVIL, "reach").getMessage())
        .isEqualTo(
            "RoutingPolicy \"payments-policy\" does not exist in namespace "
                + EVIL
                + "; create it or remove spec.routingPolicyRef.");
  }
}
