package io.crosswind.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.crosswind.testing.Paths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed CRDs accept everything the CRDs of the last release accepted, so that resources
 * users applied against a release still validate, keep their fields and read the same after an
 * upgrade: no CRD, version or field removed, no type changed, no field newly required, no enum
 * value removed. The releases' CRDs are in src/test/resources/crds-released (see its README).
 */
class CrdCompatibilityTest {

  static final String HOW_TO_FIX =
      "crds/ breaks the API of the last release (the newest folder of"
          + " operator/src/test/resources/crds-released/): restore the field, type, enum value or"
          + " version, or make the change in a new API version served next to the released one;"
          + " never edit a released folder";

  static final String ENDPOINTS = "modelendpoints.crosswind.io-v1.yml";
  static final String POLICIES = "routingpolicies.crosswind.io-v1.yml";

  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void committedCrdsAreCompatibleWithTheLastRelease() {
    Path lastRelease = CrdCompatibility.newestRelease(Paths.releasedCrds());

    assertThat(CrdCompatibility.breakingChanges(lastRelease, Paths.committedCrds()))
        .as(HOW_TO_FIX)
        .isEmpty();
  }

  @Test
  void aRemovedPropertyIsReported(@TempDir Path current) throws IOException {
    copyCommittedCrds(current);
    edit(
        current.resolve(ENDPOINTS),
        crd -> properties(schema(crd, ".spec.targets[].azure.account")).remove("name"));

    assertThat(CrdCompatibility.breakingChanges(Paths.committedCrds(), current))
        .containsExactly(ENDPOINTS + " v1alpha1: .spec.targets[].azure.account.name was removed");
  }

  @Test
  void aChangedTypeIsReported(@TempDir Path current) throws IOException {
    copyCommittedCrds(current);
    edit(
        current.resolve(POLICIES),
        crd -> schema(crd, ".spec.targets[].priority").put("type", "string"));

    assertThat(CrdCompatibility.breakingChanges(Paths.committedCrds(), current))
        .containsExactly(
            POLICIES + " v1alpha1: .spec.targets[].priority changed type from integer to string");
  }

  @Test
  void aFieldNewlyRequiredOnAnExistingObjectIsReported(@TempDir Path current) throws IOException {
    copyCommittedCrds(current);
    edit(
        current.resolve(ENDPOINTS),
        crd -> schema(crd, ".spec.endpoint").putArray("required").add("mode"));

    assertThat(CrdCompatibility.breakingChanges(Paths.committedCrds(), current))
        .containsExactly(ENDPOINTS + " v1alpha1: .spec.endpoint.mode is now required");
  }

  @Test
  void aRemovedEnumValueIsReported(@TempDir Path current) throws IOException {
    copyCommittedCrds(current);
    edit(
        current.resolve(ENDPOINTS),
        crd -> schema(crd, ".spec.deletionPolicy").putArray("enum").add("Delete"));

    assertThat(CrdCompatibility.breakingChanges(Paths.committedCrds(), current))
        .containsExactly(ENDPOINTS + " v1alpha1: .spec.deletionPolicy no longer allows \"Retain\"");
  }

  @Test
  void droppingPreservationOfUnknownFieldsIsReported(@TempDir Path dir) throws IOException {
    Path released = Files.createDirectories(dir.resolve("released"));
    Path current = Files.createDirectories(dir.resolve("current"));
    copyCommittedCrds(released);
    copyCommittedCrds(current);
    edit(
        released.resolve(POLICIES),
        crd -> schema(crd, ".status").put("x-kubernetes-preserve-unknown-fields", true));

    assertThat(CrdCompatibility.breakingChanges(released, current))
        .containsExactly(POLICIES + " v1alpha1: .status no longer preserves unknown fields");
  }

  @Test
  void aRemovedCrdIsReported(@TempDir Path current) throws IOException {
    copyCommittedCrds(current);
    Files.delete(current.resolve(POLICIES));

    assertThat(CrdCompatibility.breakingChanges(Paths.committedCrds(), current))
        .containsExactly(POLICIES + " was removed");
  }

  @Test
  void aVersionRemovedOrNoLongerServedIsReported(@TempDir Path current) throws IOException {
    copyCommittedCrds(current);
    // Renaming v1alpha1 instead of serving a new version next to it.
    edit(current.resolve(ENDPOINTS), crd -> version(crd).put("name", "v1alpha2"));
    edit(current.resolve(POLICIES), crd -> version(crd).put("served", false));

    assertThat(CrdCompatibility.breakingChanges(Paths.committedCrds(), current))
        .containsExactly(
            ENDPOINTS + " v1alpha1 was removed", POLICIES + " v1alpha1 is no longer served");
  }

  @Test
  void additionsAreNotReported(@TempDir Path current) throws IOException {
    copyCommittedCrds(current);
    edit(
        current.resolve(ENDPOINTS),
        crd -> {
          ObjectNode endpoint = schema(crd, ".spec.endpoint");
          endpoint.put("description", "How applications reach the model, reworded.");
          properties(endpoint).putObject("hostname").put("type", "string");
          // A new optional object may require its own fields: no existing resource has it.
          ObjectNode tls = properties(endpoint).putObject("tls").put("type", "object");
          properties(tls).putObject("secretName").put("type", "string");
          tls.putArray("required").add("secretName");
          ((ArrayNode) schema(crd, ".spec.deletionPolicy").get("enum")).add("Orphan");
          endpoint
              .putArray("x-kubernetes-validations")
              .addObject()
              .put("rule", "!has(self.hostname) || self.hostname != ''")
              .put("message", "hostname must not be empty");
        });

    assertThat(CrdCompatibility.breakingChanges(Paths.committedCrds(), current)).isEmpty();
  }

  @Test
  void theNewestReleaseIsTheHighestSemanticVersion(@TempDir Path releases) throws IOException {
    for (String release : List.of("v0.2.0", "v0.10.0", "v0.9.1", "v0.1.0")) {
      Files.createDirectories(releases.resolve(release));
    }
    Files.writeString(releases.resolve("README.md"), "each folder is a release\n");

    assertThat(CrdCompatibility.newestRelease(releases)).isEqualTo(releases.resolve("v0.10.0"));
  }

  private static void copyCommittedCrds(Path dir) throws IOException {
    try (Stream<Path> crds = Files.list(Paths.committedCrds())) {
      for (Path crd : crds.toList()) {
        Files.copy(crd, dir.resolve(crd.getFileName()));
      }
    }
  }

  /** Changes a CRD file through its YAML tree, as a regenerated CRD would differ. */
  private static void edit(Path crd, Consumer<ObjectNode> change) throws IOException {
    ObjectNode tree = (ObjectNode) YAML.readTree(crd.toFile());
    change.accept(tree);
    YAML.writeValue(crd.toFile(), tree);
  }

  private static ObjectNode version(ObjectNode crd) {
    return (ObjectNode) crd.get("spec").get("versions").get(0);
  }

  /** The schema at a path as the check reports it, such as .spec.targets[].azure, in v1alpha1. */
  private static ObjectNode schema(ObjectNode crd, String path) {
    StringBuilder pointer = new StringBuilder("/schema/openAPIV3Schema");
    for (String name : path.substring(1).split("\\.")) {
      boolean items = name.endsWith("[]");
      pointer.append("/properties/").append(items ? name.substring(0, name.length() - 2) : name);
      if (items) {
        pointer.append("/items");
      }
    }
    JsonNode schema = version(crd).at(pointer.toString());
    assertThat(schema.isObject()).as(path + " in the committed CRD").isTrue();
    return (ObjectNode) schema;
  }

  private static ObjectNode properties(ObjectNode schema) {
    if (!schema.path("properties").isObject()) {
      schema.putObject("properties");
    }
    return (ObjectNode) schema.get("properties");
  }
}
