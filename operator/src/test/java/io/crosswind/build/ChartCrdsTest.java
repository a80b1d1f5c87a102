package io.crosswind.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.testing.Paths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Helm chart installs the CRDs of crds/, byte for byte. */
class ChartCrdsTest {

  static final String HOW_TO_FIX =
      "helm/crosswind/crds/ must be a copy of crds/: run"
          + " rm -f helm/crosswind/crds/* && cp crds/* helm/crosswind/crds/ and commit both";

  static final CrdDrift.Wording CHART =
      new CrdDrift.Wording(
          "is in crds/ but not in helm/crosswind/crds/",
          "is in helm/crosswind/crds/ but not in crds/",
          "in helm/crosswind/crds/ differs from crds/");

  static Path chartCrds() {
    return Paths.repositoryRoot().resolve("helm/crosswind/crds");
  }

  @Test
  void theChartCarriesExactlyTheCommittedCrds() {
    assertThat(chartCrds()).isDirectory();
    assertThat(CrdDrift.differences(Paths.committedCrds(), chartCrds(), CHART))
        .as(HOW_TO_FIX)
        .isEmpty();
  }

  @Test
  void aCrdRegeneratedButNotCopiedIntoTheChartIsReported(@TempDir Path chart) throws IOException {
    for (Path crd : Files.list(Paths.committedCrds()).toList()) {
      Files.copy(crd, chart.resolve(crd.getFileName()));
    }
    Path policies = chart.resolve("routingpolicies.crosswind.io-v1.yml");
    Files.writeString(policies, Files.readString(policies).replace("Failover", "Failovr"));
    Files.delete(chart.resolve("modelendpoints.crosswind.io-v1.yml"));

    assertThat(CrdDrift.differences(Paths.committedCrds(), chart, CHART))
        .containsExactly(
            "modelendpoints.crosswind.io-v1.yml is in crds/ but not in helm/crosswind/crds/",
            "routingpolicies.crosswind.io-v1.yml in helm/crosswind/crds/ differs from crds/");
  }
}
