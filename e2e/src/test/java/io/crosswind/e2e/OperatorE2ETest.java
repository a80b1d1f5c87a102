package io.crosswind.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.RoutingPolicy;
import io.crosswind.operator.CrosswindOperator;
import io.crosswind.operator.OperatorConfig;
import io.crosswind.simulators.Simulators;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator, started as its process starts it (server-side apply, leader election), against the
 * real API server; resources applied and read with the real kubectl, as a user would.
 */
@ExtendWith(RealCluster.class)
class OperatorE2ETest {

  static final String OPERATOR_NS = "crosswind-system";
  static final String NS = "payments";
  static KubernetesClient client;
  static CrosswindOperator operator;
  static ControlPlane cluster;
  static Simulators clouds;

  @BeforeAll
  static void startOperator() throws Exception {
    cluster = RealCluster.get();
    client = cluster.adminClient();
    Resources.installCrds(client);
    Resources.namespace(client, OPERATOR_NS);
    Resources.namespace(client, NS);
    clouds = SimulatedClouds.start(SimulatedClouds.RESOURCE_GROUPS);
    SimulatedClouds.operatorIdentity(clouds);
    SimulatedClouds.createExistingAccounts(clouds);
    Path ca = clouds.certificates().writeCaPem(Files.createTempFile("crosswind-e2e-ca", ".pem"));
    List<String> flags =
        new java.util.ArrayList<>(
            List.of(
                "--operator-namespace=" + OPERATOR_NS,
                "--watch-namespaces=" + NS,
                "--identity=e2e-operator",
                "--ops-address=127.0.0.1",
                "--ops-port=0"));
    flags.addAll(SimulatedClouds.operatorFlags(clouds, ca));
    operator =
        CrosswindOperator.start(
            OperatorConfig.parse(flags.toArray(String[]::new)), cluster.adminClient());
    for (var file : Resources.yamlFiles(Resources.root().resolve("examples"))) {
      cluster.kubectl("apply", "-n", NS, "-f", file.toString());
    }
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
    if (clouds != null) {
      clouds.close();
    }
    client.close();
  }

  static ModelEndpoint endpoint(String name) {
    return client.resources(ModelEndpoint.class).inNamespace(NS).withName(name).get();
  }

  static Optional<Condition> condition(ModelEndpoint e, String type) {
    if (e == null || e.getStatus() == null || e.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return e.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Waits until the endpoint's status describes its current generation with this reason. */
  static void awaitReason(String endpoint, String reason) {
    awaitReason(endpoint, reason, null);
  }

  /** As above, and checks that the current generation is {@code generation}. */
  static void awaitReason(String endpoint, String reason, Long generation) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              ModelEndpoint e = endpoint(endpoint);
              assertThat(e.getStatus()).isNotNull();
              assertThat(e.getStatus().getObservedGeneration())
                  .isEqualTo(e.getMetadata().getGeneration());
              if (generation != null) {
                assertThat(e.getMetadata().getGeneration()).isEqualTo(generation);
              }
              assertThat(condition(e, "Ready").map(Condition::getReason)).contains(reason);
            });
  }

  @Test
  void everyExampleIsReconciledAndKubectlGetShowsWhy() {
    for (String name : List.of("chat", "gpt-oss", "fraud-reasoner", "assistant")) {
      awaitReason(name, "Serving");
    }
    String table = cluster.kubectl("get", "modelendpoints", "-n", NS);
    assertThat(table.lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "MODEL", "ACTIVE", "READY", "REASON", "AGE");
    assertThat(table)
        .containsPattern("chat\\s+gpt-5\\.4\\s+azure-eastus2\\s+True\\s+Serving\\s+\\d+s");
    assertThat(cluster.kubectl("get", "mep", "chat", "-n", NS, "-o", "wide"))
        .contains("URL")
        .contains("http://chat." + NS + ".svc.cluster.local/v1")
        .containsPattern("Serving\\s+\\d+s\\s+\\S+\\s+1/1");
    assertThat(cluster.kubectl("get", "crosswind", "-n", NS))
        .contains("modelendpoint.crosswind.io/fraud-reasoner")
        .contains("routingpolicy.crosswind.io/aws-first");
  }

  @Test
  void policiesAreAcceptedAndCountTheirEndpoints() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(cluster.kubectl("get", "rpol", "-n", NS))
                    .containsPattern("aws-first\\s+Failover\\s+1\\s+True\\s+Valid")
                    .containsPattern("split-80-20\\s+Weighted\\s+1\\s+True\\s+Valid"));
  }

  @Test
  void decisionsAreRecordedAsEvents() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        cluster.kubectl(
                            "get",
                            "events",
                            "-n",
                            NS,
                            "--field-selector",
                            "involvedObject.name=fraud-reasoner"))
                    .contains("DeploymentCreating")
                    .contains("Serving")
                    .contains("modelendpoint/fraud-reasoner"));
  }

  @Test
  void anEditIsSeenThroughTheWatchAndReportedForItsGeneration() {
    GenericKubernetesResource edited =
        Resources.documents(Resources.root().resolve("examples/azure-only.yaml")).get(0);
    edited.getMetadata().setName("edited");
    client.resource(edited).inNamespace(NS).create();
    awaitReason("edited", "Serving", 1L);
    cluster.kubectl(
        "patch",
        "mep",
        "edited",
        "-n",
        NS,
        "--type=merge",
        "-p",
        "{\"spec\":{\"routingPolicyRef\":{\"name\":\"not-there\"}}}");
    awaitReason("edited", "RoutingPolicyNotFound", 2L);
    assertThat(cluster.kubectl("describe", "mep", "edited", "-n", NS))
        .contains("RoutingPolicy \"not-there\" does not exist in namespace payments");

    cluster.kubectl(
        "patch",
        "mep",
        "edited",
        "-n",
        NS,
        "--type=json",
        "-p",
        "[{\"op\":\"remove\",\"path\":\"/spec/routingPolicyRef\"}]");
    awaitReason("edited", "Serving", 3L);
  }

  @Test
  void theOperatorWritesOnlyStatusAndItsFinalizer() {
    awaitReason("chat", "Serving");
    ModelEndpoint chat = endpoint("chat");
    List<ManagedFieldsEntry> operatorEntries =
        chat.getMetadata().getManagedFields().stream()
            .filter(m -> !m.getManager().startsWith("kubectl"))
            .toList();
    assertThat(operatorEntries).isNotEmpty();
    for (ManagedFieldsEntry entry : operatorEntries) {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields =
          (Map<String, Object>) entry.getFieldsV1().getAdditionalProperties();
      assertThat(fields.keySet())
          .as("fields of manager %s", entry.getManager())
          .isSubsetOf("f:status", "f:metadata");
      if (fields.containsKey("f:metadata")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) fields.get("f:metadata");
        assertThat(metadata.keySet()).containsOnly("f:finalizers");
      }
    }
    assertThat(chat.getMetadata().getGeneration()).isEqualTo(1L);
  }

  @Test
  void steadyStateWritesNothing() {
    awaitReason("assistant", "Serving");
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(endpoint("assistant").getStatus().getTargets())
                    .hasSize(2)
                    .allSatisfy(
                        t ->
                            assertThat(t.getHealth())
                                .isEqualTo(io.crosswind.api.v1alpha1.TargetHealth.Healthy)));
    String settled = endpoint("assistant").getMetadata().getResourceVersion();
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(endpoint("assistant").getMetadata().getResourceVersion())
                    .isEqualTo(settled));
  }

  @Test
  void deletionRunsTheFinalizer() {
    GenericKubernetesResource doomed =
        Resources.documents(Resources.root().resolve("examples/bedrock-only.yaml")).get(0);
    doomed.getMetadata().setName("to-delete");
    client.resource(doomed).inNamespace(NS).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(endpoint("to-delete").getMetadata().getFinalizers())
                    .containsExactly("modelendpoints.crosswind.io/finalizer"));

    cluster.kubectl("delete", "mep", "to-delete", "-n", NS, "--timeout=30s");

    assertThat(endpoint("to-delete")).isNull();
  }

  @Test
  void oneReplicaHoldsTheLeaderElectionLease() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Lease lease =
                  client.leases().inNamespace(OPERATOR_NS).withName("crosswind-operator").get();
              assertThat(lease).isNotNull();
              assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("e2e-operator");
            });
  }

  @Test
  void aServiceAccountTokenFromTheApiServerCarriesExactlyItsRbac() {
    client
        .serviceAccounts()
        .inNamespace(NS)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("viewer").endMetadata().build())
        .serverSideApply();
    client
        .rbac()
        .roles()
        .inNamespace(NS)
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("mep-viewer")
                .endMetadata()
                .addNewRule()
                .withApiGroups("crosswind.io")
                .withResources("modelendpoints")
                .withVerbs("get", "list", "watch")
                .endRule()
                .build())
        .serverSideApply();
    client
        .rbac()
        .roleBindings()
        .inNamespace(NS)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("mep-viewer")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "mep-viewer")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("viewer")
                .withNamespace(NS)
                .endSubject()
                .build())
        .serverSideApply();

    try (KubernetesClient viewer = cluster.clientFor(NS, "viewer")) {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(
                          viewer.resources(ModelEndpoint.class).inNamespace(NS).list().getItems())
                      .isNotEmpty());
      KubernetesClientException refused =
          catchThrowableOfType(
              KubernetesClientException.class, () -> viewer.secrets().inNamespace(NS).list());
      assertThat(refused.getCode()).isEqualTo(403);
      KubernetesClientException noPolicies =
          catchThrowableOfType(
              KubernetesClientException.class,
              () -> viewer.resources(RoutingPolicy.class).inNamespace(NS).list());
      assertThat(noPolicies.getCode()).isEqualTo(403);
    }
  }
}
