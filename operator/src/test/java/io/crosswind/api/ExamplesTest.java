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
