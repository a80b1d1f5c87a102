package io.crosswind.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The golden files themselves: each is listed in {@link Golden} (so both sides' tests can reach
 * it), and each survives this module's reader and writer unchanged, so that the writer's output is
 * what the files show.
 */
class GoldenFilesTest {

  @Test
  void everyGoldenFileIsListed() throws IOException, URISyntaxException {
    Path root = Path.of(Golden.class.getResource("golden").toURI());
    try (Stream<Path> files = Files.walk(root)) {
      assertThat(
              files
                  .filter(Files::isRegularFile)
                  .map(f -> root.relativize(f).toString().replace('\\', '/'))
                  .toList())
          .as("a golden file no test reads is no contract")
          .containsExactlyInAnyOrderElementsOf(
              Arrays.stream(Golden.values()).map(Golden::path).toList());
    }
  }

  @ParameterizedTest
  @EnumSource(value = Golden.class, names = "ROUTE_TABLE_.*", mode = EnumSource.Mode.MATCH_ALL)
  void aRouteTableReadsAndWritesBackAsItsFileShows(Golden file) {
    RouteTable table = RouteTables.read(file.bytes());

    String written = RouteTables.write(table);

    if (file == Golden.ROUTE_TABLE_WRITTEN_BY_0_1_0) {
      assertThat(Golden.tree(written))
          .as("what 0.1.0 wrote is served as the current format's failover table")
          .isEqualTo(Golden.ROUTE_TABLE_GATEWAY_FAILOVER.tree());
    } else {
      assertThat(Golden.tree(written)).isEqualTo(file.tree());
    }
  }

  @ParameterizedTest
  @EnumSource(value = Golden.class, names = "CIRCUIT_REPORT_.*", mode = EnumSource.Mode.MATCH_ALL)
  void aCircuitReportReadsAndWritesBackAsItsFileShows(Golden file) {
    CircuitReport report = CircuitReports.read(file.text());

    String written = CircuitReports.write(report);

    Golden expected =
        file == Golden.CIRCUIT_REPORT_WRITTEN_BY_0_1_0 ? Golden.CIRCUIT_REPORT_OPEN : file;
    assertThat(Golden.tree(written)).isEqualTo(expected.tree());
  }

  @Test
  void aCircuitReportKeepsOnlyEntriesItCanPlace() {
    CircuitReport report =
        CircuitReports.read(
            """
            {"format": 1, "circuits": [
              {"endpoint": "no-namespace", "target": "t", "openUntil": "2026-12-01T10:00:00Z"},
              {"endpoint": "apps/chat", "target": "t", "openUntil": "2026-12-01T10:00:00Z",
               "cause": "SomethingNew"}
            ]}
            """);

    assertThat(report.circuits())
        .singleElement()
        .satisfies(c -> assertThat(c.cause()).isEqualTo(CircuitReport.Cause.Failures));
  }
}
