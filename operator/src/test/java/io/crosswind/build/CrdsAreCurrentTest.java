package io.crosswind.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.testing.Paths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrdsAreCurrentTest {

  static final String HOW_TO_FIX =
      "crds/ is stale: run ./mvnw -pl operator -Pupdate-crds process-test-classes and commit crds/";

  @Test
  void committedCrdsMatchWhatTheApiClassesGenerate() {
    assertThat(CrdDrift.differences(Paths.generatedCrds(), Paths.committedCrds()))
        .as(HOW_TO_FIX)
        .isEmpty();
  }

  @Test
  void aFieldAddedWithoutRegeneratingIsReported(@TempDir Path dir) throws IOException {
    Path committed = Files.createDirectories(dir.resolve("committed"));
    for (Path crd : Files.list(Paths.generatedCrds()).toList()) {
      Files.copy(crd, committed.resolve(crd.getFileName()));
    }
    Path endpoints = committed.resolve("modelendpoints.crosswind.io-v1.yml");
    // What an older commit looks like: the generated CRD lacks a field the classes now have.
    String withoutModel =
        Files.readString(endpoints).replaceFirst("(?s)\n {14}model:\n.*?type: \"string\"", "");
    assertThat(withoutModel).isNotEqualTo(Files.readString(endpoints));
    Files.writeString(endpoints, withoutModel);

    assertThat(CrdDrift.differences(Paths.generatedCrds(), committed))
        .containsExactly(
            "modelendpoints.crosswind.io-v1.yml differs from what the API classes generate");
  }

  @Test
  void aNewCustomResourceWithoutCommittedCrdIsReported(@TempDir Path dir) throws IOException {
    Path committed = Files.createDirectories(dir.resolve("committed"));
    Files.copy(
        Paths.generatedCrds().resolve("routingpolicies.crosswind.io-v1.yml"),
        committed.resolve("routingpolicies.crosswind.io-v1.yml"));

    assertThat(CrdDrift.differences(Paths.generatedCrds(), committed))
        .containsExactlyInAnyOrder(
            "cloudgrants.crosswind.io-v1.yml is generated but not committed",
            "modelendpoints.crosswind.io-v1.yml is generated but not committed");
  }
}
