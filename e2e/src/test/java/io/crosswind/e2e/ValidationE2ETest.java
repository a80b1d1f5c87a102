package io.crosswind.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the real API server accepts and rejects, with the messages a user sees from kubectl. */
@ExtendWith(RealCluster.class)
class ValidationE2ETest {

  static final String NS = "validation";
  static final String EXPECT = "e2e.crosswind.io/expect";
  static KubernetesClient client;

  @BeforeAll
  static void install() {
    client = RealCluster.get().adminClient();
    Resources.installCrds(client);
    Resources.namespace(client, NS);
  }

  @AfterAll
  static void close() {
    client.close();
  }

  static Stream<Arguments> invalidResources() {
    return Resources.yamlFiles(Resources.root().resolve("e2e/src/test/resources/invalid")).stream()
        .flatMap(f -> Resources.documents(f).stream())
        .map(r -> Arguments.of(r.getKind() + "/" + r.getMetadata().getName(), r));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidResources")
  void rejectsEachInvalidResourceWithItsMessage(String name, GenericKubernetesResource resource) {
    String expected = resource.getMetadata().getAnnotations().get(EXPECT);

    KubernetesClientException rejected =
        catchThrowableOfType(
            KubernetesClientException.class,
            () -> client.resource(resource).inNamespace(NS).create());

    assertThat(rejected).as("%s must be rejected", name).isNotNull();
    assertThat(rejected.getCode()).isEqualTo(422);
    String prefix =
        resource.getKind()
            + ".crosswind.io \""
            + resource.getMetadata().getName()
            + "\" is invalid: ";
    String message = rejected.getStatus().getMessage();
    assertThat(message).startsWith(prefix);
    String causes = message.substring(prefix.length());
    assertThat(causes.startsWith("[") ? causes.substring(1) : causes)
        .as("the first cause kubectl prints")
        .startsWith(expected);
  }

  static Stream<Arguments> examples() {
    return Resources.yamlFiles(Resources.root().resolve("examples")).stream()
        .map(f -> Arguments.of(f.getFileName().toString(), f));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void acceptsEveryExample(String name, Path file) {
    for (GenericKubernetesResource resource : Resources.documents(file)) {
      GenericKubernetesResource dryRun =
          client.resource(resource).inNamespace(NS).dryRun().create();
      assertThat(dryRun.getMetadata().getName()).isEqualTo(resource.getMetadata().getName());
    }
  }

  /** Sets a value at a path of maps and lists (list steps are indexes). */
  @SuppressWarnings("unchecked")
  static void set(Map<String, Object> root, Object value, Object... path) {
    Object node = root;
    for (int i = 0; i < path.length - 1; i++) {
      node =
          path[i] instanceof Integer index
              ? ((List<Object>) node).get(index)
              : ((Map<String, Object>) node).get(path[i]);
    }
    ((Map<String, Object>) node).put((String) path[path.length - 1], value);
  }

  @Test
  void aTargetCannotMoveToAnotherAccountOrRegionButCanBeReplacedUnderANewName() {
    GenericKubernetesResource endpoint =
        Resources.documents(Resources.root().resolve("examples/failover.yaml")).stream()
            .filter(r -> r.getKind().equals("ModelEndpoint"))
            .findFirst()
            .orElseThrow();
    endpoint.getMetadata().setName("moves");
    client.resource(endpoint).inNamespace(NS).create();
    try {
      for (Object[] move :
          List.of(
              new Object[] {"rg-elsewhere", 1, "azure", "resourceGroup"},
              new Object[] {"other-openai", 1, "azure", "account", "name"},
              new Object[] {"us-west-2", 0, "bedrock", "region"})) {
        GenericKubernetesResource moved = client.resource(endpoint).inNamespace(NS).get();
        Map<String, Object> spec = moved.get("spec");
        Object[] path = new Object[move.length];
        path[0] = "targets";
        System.arraycopy(move, 1, path, 1, move.length - 1);
        set(spec, move[0], path);

        KubernetesClientException rejected =
            catchThrowableOfType(
                KubernetesClientException.class,
                () -> client.resource(moved).inNamespace(NS).update());

        assertThat(rejected).as("moving %s", List.of(path)).isNotNull();
        assertThat(rejected.getCode()).isEqualTo(422);
        assertThat(rejected.getStatus().getMessage())
            .contains("spec.targets: Invalid value")
            .contains("add a target with a new name and remove this one");
      }

      GenericKubernetesResource changed = client.resource(endpoint).inNamespace(NS).get();
      Map<String, Object> spec = changed.get("spec");
      set(spec, 10, "targets", 1, "azure", "deployment", "sku", "capacity");
      set(spec, "azure-eastus2-b", "targets", 1, "name");
      set(spec, "rg-elsewhere", "targets", 1, "azure", "resourceGroup");
      assertThat(client.resource(changed).inNamespace(NS).update().getMetadata().getGeneration())
          .as("capacity may change, and a target of a new name may be anywhere")
          .isEqualTo(2);
    } finally {
      client.resource(endpoint).inNamespace(NS).delete();
    }
  }

  @Test
  void fillsInDefaultsAUserCanSeeWithKubectlGet() {
    GenericKubernetesResource endpoint =
        client
            .resource(
                Resources.documents(Resources.root().resolve("examples/bedrock-only.yaml")).get(0))
            .inNamespace(NS)
            .dryRun()
            .create();
    Map<String, Object> spec = endpoint.get("spec");
    assertThat(spec).containsEntry("deletionPolicy", "Delete");

    GenericKubernetesResource policy =
        client
            .resource(
                new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                    .withApiVersion("crosswind.io/v1alpha1")
                    .withKind("RoutingPolicy")
                    .withNewMetadata()
                    .withName("defaults")
                    .endMetadata()
                    .withAdditionalProperties(
                        Map.of(
                            "spec",
                            Map.of(
                                "targets",
                                List.of(Map.of("provider", "Bedrock")),
                                "failover",
                                Map.of("probe", Map.of()))))
                    .build())
            .inNamespace(NS)
            .dryRun()
            .create();
    Map<String, Object> policySpec = policy.get("spec");
    assertThat(policySpec).containsEntry("strategy", "Failover");
    Map<String, Object> failover = policy.get("spec", "failover");
    assertThat(failover)
        .containsEntry("triggers", List.of("Unhealthy", "Throttled", "NotReady"))
        .containsEntry("failback", "Automatic")
        .containsEntry("stabilizationWindow", "5m");
    Map<String, Object> probe = policy.get("spec", "failover", "probe");
    assertThat(probe)
        .containsEntry("interval", "30s")
        .containsEntry("timeout", "5s")
        .containsEntry("failureThreshold", 3)
        .containsEntry("successThreshold", 2);
  }
}
