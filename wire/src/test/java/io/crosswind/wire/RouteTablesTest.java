package io.crosswind.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The route table's reader: tolerant of additions, strict about what it cannot serve safely. */
class RouteTablesTest {

  static final Instant NOW = Instant.parse("2026-12-01T10:30:00Z");

  static RouteTable read(String json) {
    return RouteTables.read(json.getBytes(StandardCharsets.UTF_8));
  }

  static String withFailoverTable(String from, String to) {
    String text = Golden.ROUTE_TABLE_GATEWAY_FAILOVER.text();
    assertThat(text).contains(from);
    return text.replace(from, to);
  }

  @Test
  void readsTheGoldenTableWithEveryFieldTyped() {
    RouteTable table = RouteTables.read(Golden.ROUTE_TABLE_GATEWAY_FAILOVER.bytes());

    assertThat(table.id()).isEqualTo("payments/chat");
    assertThat(table.strategy()).isEqualTo(RouteTable.Strategy.Failover);
    assertThat(table.endpointKeySha256()).isEqualTo(EndpointKeys.sha256Hex(Golden.ENDPOINT_KEY));
    RouteTable.Route bedrock = table.route("bedrock-use1").orElseThrow();
    assertThat(bedrock.provider()).isEqualTo(RouteTable.Provider.Bedrock);
    assertThat(bedrock.state()).isEqualTo(RouteTable.State.Ready);
    assertThat(bedrock.api()).isEqualTo(RouteTable.Api.OPENAI);
    assertThat(bedrock.credential().scheme()).isEqualTo(RouteTable.Scheme.BEARER);
    assertThat(bedrock.credential().expiresAt()).isEqualTo(Instant.parse("2026-12-01T11:00:00Z"));
    assertThat(bedrock.servable(NOW)).isTrue();
    assertThat(bedrock.servable(Instant.parse("2026-12-01T11:00:00Z")))
        .as("an expired credential takes the route out of rotation")
        .isFalse();
    assertThat(bedrock.credential().toString()).doesNotContain("bedrock-api-key-golden");
  }

  @Test
  void ignoresFieldsAndValuesItDoesNotKnow() {
    RouteTable table =
        read(
            withFailoverTable("\"format\"", "\"someFutureField\": {\"x\": 1}, \"format\"")
                .replace("\"strategy\": \"Failover\"", "\"strategy\": \"LeastLatency\"")
                .replace("\"api\": \"OPENAI\"", "\"api\": \"SOME_FUTURE_API\""));

    assertThat(table.strategy())
        .as("a strategy it does not know is Failover")
        .isEqualTo(RouteTable.Strategy.Failover);
    assertThat(table.routes())
        .allSatisfy(r -> assertThat(r.api()).isEqualTo(RouteTable.Api.UNSUPPORTED))
        .noneMatch(r -> r.servable(NOW));
  }

  @Test
  void refusesAnotherFormat() {
    assertThatThrownBy(() -> read(withFailoverTable("\"format\": 1", "\"format\": 2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("route table format 2 is not 1");
  }

  @Test
  void refusesAKeyHashThatIsNotLowerCaseHex() {
    String hash = EndpointKeys.sha256Hex(Golden.ENDPOINT_KEY);
    assertThatThrownBy(() -> read(withFailoverTable(hash, hash.toUpperCase())))
        .hasMessage(
            "route table payments/chat has a endpointKeySha256 that is not 64 lower-case hex");
  }

  @Test
  void refusesARouteNameTwiceOrATableWithoutModel() {
    assertThatThrownBy(() -> read(withFailoverTable("\"azure-eastus2\"", "\"bedrock-use1\"")))
        .hasMessageContaining("a name twice");
    assertThatThrownBy(() -> read(withFailoverTable("\"model\": \"gpt-5.4\",", "")))
        .hasMessage("route table has no model");
  }

  @Test
  void neverQuotesTheContentItRefuses() {
    assertThatThrownBy(() -> read("{\"format\": 1, \"routes\": [{\"value\": \"s3cret\"}"))
        .hasMessageNotContaining("s3cret")
        .hasNoCause();
    assertThatThrownBy(
            () ->
                read(
                    withFailoverTable(
                        "\"expiresAt\": \"2026-12-01T11:00:00Z\"",
                        "\"expiresAt\": \"s3cret-soon\"")))
        .hasMessageNotContaining("s3cret")
        .hasNoCause();
  }

  @Test
  void aRouteTableSecretNameStaysWithinKubernetesLimitsAndApart() {
    String longName = "e".repeat(253);

    assertThat(RouteTableSecret.name("payments", "chat"))
        .isEqualTo("crosswind-routes-payments.chat");
    assertThat(RouteTableSecret.legacyName("payments", "chat"))
        .isEqualTo("crosswind-routes-payments-chat");
    assertThat(RouteTableSecret.name("payments", longName)).hasSize(253);
    assertThat(RouteTableSecret.name("payments", longName))
        .isNotEqualTo(RouteTableSecret.name("payments", longName + "x"));
  }
}
