package io.crosswind.operator.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.testing.MutableClock;
import io.crosswind.wire.CircuitReport;
import io.crosswind.wire.CircuitReportConfigMap;
import io.crosswind.wire.Golden;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The gateway replicas' circuit reports as the operator reads them, from a watched namespace. */
@EnableKubernetesMockClient(crud = true)
class GatewayCircuitsTest {

  static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  static final ResourceID CHAT = new ResourceID("chat", "apps");

  KubernetesClient client;

  static ConfigMap report(String replica, String circuitsJson) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("crosswind-gateway-circuits-" + replica)
        .withNamespace("crosswind-system")
        .withLabels(CircuitReportConfigMap.SELECTOR)
        .endMetadata()
        .withData(Map.of("circuits.json", circuitsJson))
        .build();
  }

  static String circuits(String cause, Instant openUntil) {
    return """
        {"circuits": [{"endpoint": "apps/chat", "target": "bedrock-use1", "cause": "%s",
          "failures": 5, "openUntil": "%s"}]}
        """
        .formatted(cause, openUntil);
  }

  @Test
  void aCircuitOpenInAnyReplicaCountsUntilItRunsOutAndTheEndpointIsToldEachTime() {
    MutableClock clock = new MutableClock(NOW);
    List<ResourceID> told = new CopyOnWriteArrayList<>();
    try (GatewayCircuits circuits = new GatewayCircuits(clock)) {
      circuits.onChange(told::add);
      circuits.start(client, "crosswind-system");
      client
          .configMaps()
          .inNamespace("crosswind-system")
          .resource(report("gw-a", circuits("Failures", NOW.plusSeconds(30))))
          .create();
      client
          .configMaps()
          .inNamespace("crosswind-system")
          .resource(report("gw-b", circuits("Failures", NOW.plusSeconds(20))))
          .create();

      await().atMost(Duration.ofSeconds(5)).until(() -> told.size() >= 2);
      assertThat(told).containsOnly(CHAT);
      assertThat(circuits.open(CHAT, "bedrock-use1"))
          .hasValueSatisfying(
              c -> {
                assertThat(c.replica()).isEqualTo("gw-a");
                assertThat(c.cause()).isEqualTo(CircuitReport.Cause.Failures);
                assertThat(c.openUntil()).isEqualTo(NOW.plusSeconds(30));
              });
      assertThat(circuits.replicasOpen(CHAT, "bedrock-use1")).isEqualTo(2);
      assertThat(circuits.open(CHAT, "azure-eastus2")).isEmpty();
      assertThat(circuits.open(new ResourceID("chat", "other"), "bedrock-use1")).isEmpty();

      clock.advance(Duration.ofSeconds(25));
      assertThat(circuits.replicasOpen(CHAT, "bedrock-use1")).isEqualTo(1);
      clock.advance(Duration.ofSeconds(10));
      assertThat(circuits.open(CHAT, "bedrock-use1"))
          .as("a report left behind expires by itself")
          .isEmpty();
    }
  }

  @Test
  void aClosedCircuitOrAGoneReplicaTellsTheEndpointAtOnce() {
    MutableClock clock = new MutableClock(NOW);
    List<ResourceID> told = new CopyOnWriteArrayList<>();
    try (GatewayCircuits circuits = new GatewayCircuits(clock)) {
      circuits.onChange(told::add);
      circuits.start(client, "crosswind-system");
      var reports = client.configMaps().inNamespace("crosswind-system");
      reports.resource(report("gw-a", circuits("RetryAfter", NOW.plusSeconds(30)))).create();
      await().atMost(Duration.ofSeconds(5)).until(() -> told.size() == 1);
      assertThat(circuits.open(CHAT, "bedrock-use1"))
          .hasValueSatisfying(c -> assertThat(c.cause()).isEqualTo(CircuitReport.Cause.RetryAfter));

      reports.resource(report("gw-a", "{\"circuits\": []}")).update();
      await().atMost(Duration.ofSeconds(5)).until(() -> told.size() == 2);
      assertThat(circuits.open(CHAT, "bedrock-use1")).isEmpty();

      reports.resource(report("gw-a", circuits("Failures", NOW.plusSeconds(30)))).update();
      await().atMost(Duration.ofSeconds(5)).until(() -> told.size() == 3);
      reports.withName("crosswind-gateway-circuits-gw-a").delete();
      await().atMost(Duration.ofSeconds(5)).until(() -> told.size() == 4);
      assertThat(circuits.open(CHAT, "bedrock-use1")).isEmpty();
    }
  }

  @Test
  void aReportThatDoesNotParseCountsAsNone() {
    assertThat(GatewayCircuits.parse(report("gw-a", "{not json"))).isEmpty();
    assertThat(
            GatewayCircuits.parse(
                report("gw-a", circuits("Failures", NOW).replace(NOW.toString(), "soon"))))
        .isEmpty();
    assertThat(
            GatewayCircuits.parse(
                report("gw-a", circuits("Failures", NOW).replace("apps/chat", "no-namespace"))))
        .isEmpty();
  }

  @Test
  void readsTheGoldenReportsOfThisAndTheLastReleasedGateway() {
    List<GatewayCircuits.Circuit> expected =
        List.of(
            new GatewayCircuits.Circuit(
                new ResourceID("chat", "payments"),
                "azure-eastus2",
                "gw-a",
                CircuitReport.Cause.Failures,
                5,
                Instant.parse("2026-12-01T10:00:30Z")),
            new GatewayCircuits.Circuit(
                new ResourceID("chat", "payments"),
                "bedrock-use1",
                "gw-a",
                CircuitReport.Cause.RetryAfter,
                0,
                Instant.parse("2026-12-01T10:00:05Z")));

    assertThat(GatewayCircuits.parse(report("gw-a", Golden.CIRCUIT_REPORT_OPEN.text())))
        .isEqualTo(expected);
    assertThat(GatewayCircuits.parse(report("gw-a", Golden.CIRCUIT_REPORT_WRITTEN_BY_0_1_0.text())))
        .isEqualTo(expected);
    assertThat(GatewayCircuits.parse(report("gw-a", Golden.CIRCUIT_REPORT_EMPTY.text()))).isEmpty();
  }
}
