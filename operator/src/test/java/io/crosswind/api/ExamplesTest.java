package io.crosswind.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.RoutingPolicy;
import io.crosswind.operator.routing.PolicyValidator;
import io.crosswind.testing.Examples;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ExamplesTest {

  static Stream<Path> exampleFiles() {
    return Examples.files().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exampleFiles")
  void parsesIntoTheApiClassesAndRoundTripsUnchanged(Path file) {
    List<JsonNode> documents = Examples.documents(file);
    assertThat(documents).isNotEmpty();
    for (JsonNode document : documents) {
      HasMetadata parsed = Examples.parse(document);
      JsonNode written = Examples.STRICT.valueToTree(parsed);
      assertThat(written)
          .as("%s %s written back", file.getFileName(), parsed.getKind())
          .isEqualTo(document);
    }
  }

  @Test
  void coversEveryShapeTheReadmePromises() {
    assertThat(Examples.files())
        .extracting(p -> p.getFileName().toString())
        .contains("azure-only.yaml", "bedrock-only.yaml", "failover.yaml", "weighted.yaml");
  }

  @Test
  void theExampleGrantAllowsEveryTargetOfTheExamplesInItsNamespace() {
    List<HasMetadata> all =
        Examples.files().stream()
            .flatMap(f -> Examples.documents(f).stream())
            .map(Examples::parse)
            .toList();
    List<io.crosswind.api.v1alpha1.CloudGrant> grants =
        all.stream()
            .filter(io.crosswind.api.v1alpha1.CloudGrant.class::isInstance)
            .map(io.crosswind.api.v1alpha1.CloudGrant.class::cast)
            .toList();
    assertThat(grants).extracting(g -> g.getMetadata().getName()).containsExactly("payments");
    List<ModelEndpoint> endpoints =
        all.stream()
            .filter(ModelEndpoint.class::isInstance)
            .map(ModelEndpoint.class::cast)
            .toList();
    assertThat(endpoints).hasSizeGreaterThan(3);
    for (ModelEndpoint endpoint : endpoints) {
      for (var target : endpoint.getSpec().getTargets()) {
        assertThat(
                io.crosswind.operator.tenancy.Grants.denial(
                    "payments",
                    target,
                    "00000000-0000-0000-0000-000000000000",
                    io.crosswind.operator.tenancy.Grants.covering("payments", grants)))
            .as("%s/%s", endpoint.getMetadata().getName(), target.getName())
            .isEmpty();
        assertThat(io.crosswind.operator.tenancy.Grants.covering("another-team", grants)).isEmpty();
      }
    }
  }

  @Test
  void everyPolicyIsValidAndEveryReferencedPolicyIsInTheSameFile() {
    for (Path file : Examples.files()) {
      List<HasMetadata> objects = Examples.documents(file).stream().map(Examples::parse).toList();
      Set<String> policies =
          objects.stream()
              .filter(RoutingPolicy.class::isInstance)
              .map(RoutingPolicy.class::cast)
              .peek(
                  p ->
                      assertThat(PolicyValidator.problems(p.getSpec()))
                          .as(file + " " + p.getMetadata().getName())
                          .isEmpty())
              .map(p -> p.getMetadata().getName())
              .collect(Collectors.toSet());
      objects.stream()
          .filter(ModelEndpoint.class::isInstance)
          .map(ModelEndpoint.class::cast)
          .filter(e -> e.getSpec().getRoutingPolicyRef() != null)
          .forEach(
              e ->
                  assertThat(policies)
                      .as("%s: policy of %s", file.getFileName(), e.getMetadata().getName())
                      .contains(e.getSpec().getRoutingPolicyRef().getName()));
    }
  }
}
