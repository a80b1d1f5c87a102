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
