package io.crosswind.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.gateway.routing.CircuitBreakers;
import io.crosswind.wire.Golden;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The circuit report as this gateway writes it, against the golden files the operator reads. */
class CircuitReportContractTest {

  @Test
  void openCircuitsAreReportedAsTheGoldenFileShows() {
    String report =
        CircuitReporter.report(
            List.of(
                new CircuitBreakers.Open(
                    "payments/chat",
                    "azure-eastus2",
                    CircuitBreakers.Cause.FAILURES,
                    5,
                    Instant.parse("2026-12-01T10:00:30Z")),
                new CircuitBreakers.Open(
                    "payments/chat",
                    "bedrock-use1",
                    CircuitBreakers.Cause.RETRY_AFTER,
                    0,
                    Instant.parse("2026-12-01T10:00:05Z"))));

    assertThat(Golden.tree(report)).isEqualTo(Golden.CIRCUIT_REPORT_OPEN.tree());
  }

  @Test
  void noOpenCircuitIsAnEmptyReport() {
    assertThat(Golden.tree(CircuitReporter.report(List.of())))
        .isEqualTo(Golden.CIRCUIT_REPORT_EMPTY.tree());
  }
}
