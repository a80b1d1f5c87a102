package io.crosswind.operator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.Provider;
import io.crosswind.api.v1alpha1.RoutingPolicy;
import io.crosswind.api.v1alpha1.Target;
import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.operator.cloud.Credential;
import io.crosswind.operator.cloud.TargetDetails;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.cloud.TargetObservation.CloudEvent;
import io.crosswind.operator.cloud.Upstream;
import io.crosswind.operator.endpoint.EndpointStatusFactory.HealthFact;
import io.crosswind.operator.publish.EndpointKey;
import io.crosswind.operator.publish.PublishedTable;
import io.crosswind.testing.Paths;
import io.crosswind.wire.RouteTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests of what one reconcile decides, in the style of the Kroxylicious operator: each
 * folder under {@code src/test/resources/golden/endpoint/} is a case. Its {@code in-*} files are
 * what the reconcile starts from (the endpoint, its policy, what the last reconcile published, and
 * each target as the cloud step and the probes left it); its {@code out-*} files are what it must
 * decide (the status with every condition, the route table the gateway reads, the endpoint Secret's
 * data). A folder named {@code deletion-*} is a deletion waiting on its targets, {@code error-*} a
 * reconcile that failed. A file no case reads fails the run.
 *
 * <p>To write the {@code out-*} files of a new case (and review them before committing): {@code
 * ./mvnw -pl operator test -Dtest=EndpointGoldenTest -Dcrosswind.golden.write=true}.
 */
class EndpointGoldenTest {

  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  static final String ENDPOINT_KEY = "cw-golden-endpoint-key";

  static final ObjectMapper YAML =
      YAMLMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();
  static final ObjectMapper JSON = new ObjectMapper();
  static final boolean WRITE = Boolean.getBoolean("crosswind.golden.write");
  static final Set<Path> READ = ConcurrentHashMap.newKeySet();

  static Path root() {
    return Paths.repositoryRoot().resolve("operator/src/test/resources/golden/endpoint");
  }

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(root())) {
      return dirs
          .filter(Files::isDirectory)
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  /**
   * One target as the case describes it.
   *
   * @param target its name; for a target no longer in the spec, {@code spec} holds it
   * @param provider Bedrock or AzureOpenAI
   * @param health what the probes say, when they have said anything
   */
  record TargetFixture(
      String target,
      Provider provider,
      TargetState state,
      String reason,
      String message,
      String resourceId,
      Duration recheckAfter,
      UpstreamFixture upstream,
      CredentialFixture credential,
      List<CloudEvent> events,
      Target spec,
      HealthFixture health) {}

  record UpstreamFixture(Upstream.Api api, String baseUrl, String model, String region) {}

  record CredentialFixture(
      String name,
      String value,
      Credential.Scheme scheme,
      Instant publishedAt,
      Instant expiresAt) {}

  record HealthFixture(TargetHealth health, Instant changedAt, String message) {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aReconcileDecidesWhatTheGoldenFilesShow(String name) throws IOException {
    Path dir = root().resolve(name);
    ModelEndpoint endpoint = read(dir.resolve("in-endpoint.yaml"), ModelEndpoint.class);
    List<TargetOutcome> outcomes = outcomes(endpoint, dir.resolve("in-targets.yaml"));

    if (name.startsWith("deletion-")) {
      expect(
          dir.resolve("out-status.yaml"),
          yaml(EndpointStatusFactory.deleting(endpoint, outcomes, NOW)));
      return;
    }
    if (name.startsWith("error-")) {
      expect(
          dir.resolve("out-status.yaml"),
          yaml(
              EndpointStatusFactory.failed(
                  endpoint, new IllegalStateException("the cloud said s3cret"), NOW)));
      return;
    }
    Optional<RoutingPolicy> policy =
        optional(dir.resolve("in-policy.yaml")).map(p -> read(p, RoutingPolicy.class));
    PublishedTable previous =
        optional(dir.resolve("in-previous.json"))
            .map(p -> readJson(p, PublishedTable.class))
            .orElse(PublishedTable.EMPTY);
    Map<String, HealthFact> health = new LinkedHashMap<>();
    for (TargetFixture t : targets(dir.resolve("in-targets.yaml"))) {
      if (t.health() != null) {
        health.put(
            t.target(),
            new HealthFact(t.health().health(), t.health().changedAt(), t.health().message()));
      }
    }

    EndpointPlan plan =
        EndpointPlan.of(
            endpoint,
            EndpointPublicationTest.SETTINGS,
            policy,
            previous,
            outcomes,
            health,
            new EndpointKey(ENDPOINT_KEY, null, null, null),
            NOW);

    expect(dir.resolve("out-status.yaml"), yaml(plan.status()));
    expect(
        dir.resolve("out-routes.json"),
        pretty(JSON.readTree(RouteTables.write(plan.publication().routeTable().toWire()))));
    expect(
        dir.resolve("out-secret.yaml"),
        plan.publication().secretData().map(EndpointGoldenTest::yaml).orElse("{}\n"));
    expect(
        dir.resolve("out-events.yaml"),
        yaml(
            EndpointEvents.decide(
                endpoint,
                outcomes,
                previous.active(),
                plan.selection(),
                plan.status(),
                target -> " after 3 failed probes of " + target)));
  }

  @AfterAll
  static void everyGoldenFileIsRead() throws IOException {
    Set<Path> files = new TreeSet<>();
    try (Stream<Path> all = Files.walk(root())) {
      all.filter(Files::isRegularFile).forEach(files::add);
    }
    assertThat(new TreeSet<>(READ))
        .as("a golden file that no case reads tests nothing: remove it or name it as a case reads")
        .containsExactlyElementsOf(files);
  }

  static List<TargetOutcome> outcomes(ModelEndpoint endpoint, Path file) {
    return targets(file).stream()
        .map(
            t -> {
              Optional<Target> inSpec =
                  endpoint.getSpec().getTargets().stream()
                      .filter(s -> s.getName().equals(t.target()))
                      .findFirst();
              TargetObservation observation =
                  new TargetObservation(
                      t.state(),
                      t.reason(),
                      t.message(),
                      t.resourceId(),
                      t.recheckAfter(),
                      TargetDetails.NONE,
                      t.events(),
                      t.upstream() == null
                          ? null
                          : new Upstream(
                              t.upstream().api(),
                              t.upstream().baseUrl(),
                              t.upstream().model(),
                              t.upstream().region()),
                      t.credential() == null
                          ? null
                          : new Credential(
                              t.credential().name(),
                              t.credential().value(),
                              t.credential().scheme(),
                              t.credential().publishedAt(),
                              t.credential().expiresAt(),
                              null,
                              null));
              return new TargetOutcome(
                  inSpec.orElse(t.spec()), t.provider(), observation, inSpec.isEmpty());
            })
        .toList();
  }

  static List<TargetFixture> targets(Path file) {
    try {
      READ.add(file);
      return List.of(YAML.readValue(file.toFile(), TargetFixture[].class));
    } catch (IOException e) {
      throw new UncheckedIOException(file + " does not parse", e);
    }
  }

  static <T> T read(Path file, Class<T> type) {
    try {
      READ.add(file);
      return YAML.readValue(file.toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(file + " does not parse", e);
    }
  }

  static <T> T readJson(Path file, Class<T> type) {
    try {
      READ.add(file);
      return new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .readValue(file.toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(file + " does not parse", e);
    }
  }

  static Optional<Path> optional(Path file) {
    return Files.exists(file) ? Optional.of(file) : Optional.empty();
  }

  static String yaml(Object value) {
    try {
      return YAML.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String pretty(JsonNode tree) throws IOException {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree) + "\n";
  }

  /** The expected file's content (as a tree, so layout does not matter), or writes it. */
  static void expect(Path file, String actual) throws IOException {
    READ.add(file);
    if (WRITE) {
      Files.writeString(file, actual);
      return;
    }
    assertThat(Files.exists(file))
        .as(file + " is missing; write it with -Dcrosswind.golden.write=true and review it")
        .isTrue();
    String expected = Files.readString(file);
    ObjectMapper reader = file.toString().endsWith(".json") ? JSON : YAML;
    assertThat(reader.readTree(actual))
        .as("%s differs from what the reconcile decided:%n%s", file.getFileName(), actual)
        .isEqualTo(reader.readTree(expected));
  }
}
