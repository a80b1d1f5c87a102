package io.crosswind.gateway.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.wire.EndpointKeys;
import io.crosswind.wire.RouteTable;
import io.crosswind.wire.RouteTables;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the gateway finds an endpoint by its key, and keeps serving what it could read. */
class EndpointDirectoryTest {

  static final String KEY_HASH = EndpointKeys.sha256Hex("cw-key");

  /** A table as the operator writes it (format 1), with fields the gateway does not read. */
  static String operatorTable(int format, String hash) {
    return """
        {"format": %d, "namespace": "payments", "name": "fraud", "model": "gpt-5.4",
         "strategy": "Failover", "active": "bedrock-use1", "endpointKeySha256": "%s",
         "someFutureField": {"x": 1},
         "routes": [
          {"target": "bedrock-use1", "provider": "Bedrock", "state": "Ready", "health": "Healthy",
           "api": "OPENAI", "url": "https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1",
           "upstreamModel": "arn:aws:bedrock:us-east-1:1:application-inference-profile/p",
           "region": "us-east-1", "priority": 1, "weight": 80,
           "credential": {"name": "bedrock-api-key", "scheme": "BEARER", "value": "bedrock-api-key-x",
             "publishedAt": "2026-12-01T00:00:00Z", "expiresAt": "2026-12-01T01:00:00Z"},
           "resourceId": "arn:...", "spec": {"name": "bedrock-use1", "bedrock": {"region": "us-east-1"}}},
          {"target": "old", "provider": "AzureOpenAI", "state": "Deleting", "health": "Unknown",
           "weight": 0}
         ]}
        """
        .formatted(format, hash);
  }

  static RouteTable read(String json) {
    return RouteTables.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aRotatedKeyIsAcceptedBesideTheNewOneUntilTheOverlapEndsAndDirectEndpointsAreNotServed() {
    java.time.Instant t0 = java.time.Instant.parse("2026-12-01T10:00:00Z");
    io.crosswind.gateway.endpoints.EndpointDirectory directory =
        new EndpointDirectory(java.time.Clock.fixed(t0, java.time.ZoneOffset.UTC));
    EndpointDirectory later =
        new EndpointDirectory(
            java.time.Clock.fixed(t0.plusSeconds(3601), java.time.ZoneOffset.UTC));
    RouteTable rotated =
        new RouteTable(
            1,
            "payments",
            "fraud",
            "gpt-5.4",
            RouteTable.Strategy.Failover,
            null,
            EndpointKeys.sha256Hex("cw-new"),
            EndpointKeys.sha256Hex("cw-old"),
            t0.plusSeconds(3600),
            List.of());
    RouteTable direct =
        new RouteTable(
            1,
            "payments",
            "direct",
            "gpt-5.4",
            RouteTable.Strategy.Failover,
            null,
            null,
            null,
            null,
            List.of());

    directory.publish(List.of(rotated, direct));
    later.publish(List.of(rotated));

    assertThat(directory.find("cw-new")).contains(rotated);
    assertThat(directory.find("cw-old")).contains(rotated);
    assertThat(later.find("cw-new")).contains(rotated);
    assertThat(later.find("cw-old")).isEmpty();
    assertThat(directory.size()).as("the direct endpoint has no key to find").isEqualTo(2);
  }

  @Test
  void twoEndpointsThatClaimOneKeyServeNeither() {
    EndpointDirectory directory = new EndpointDirectory();
    RouteTable one = read(operatorTable(1, KEY_HASH));
    RouteTable other =
        new RouteTable(
            1,
            "other",
            "fraud",
            "gpt-5.4",
            RouteTable.Strategy.Failover,
            null,
            KEY_HASH,
            null,
            null,
            List.of());

    directory.publish(List.of(one));
    assertThat(directory.find("cw-key")).contains(one);
    assertThat(directory.find("cw-key2")).isEmpty();

    directory.publish(List.of(one, other));
    assertThat(directory.find("cw-key")).isEmpty();
  }

  @Test
  void aTableThatTurnsUnreadableKeepsItsLastGoodVersion() {
    EndpointDirectory directory = new EndpointDirectory();
    RouteTableSet set = new RouteTableSet(directory);

    set.put("a.json", operatorTable(1, KEY_HASH).getBytes(StandardCharsets.UTF_8));
    set.put("a.json", "{broken".getBytes(StandardCharsets.UTF_8));

    assertThat(directory.find("cw-key")).isPresent();
    assertThat(set.rejected()).isEqualTo(1);
    set.remove("a.json");
    assertThat(directory.find("cw-key")).isEmpty();
  }
}
