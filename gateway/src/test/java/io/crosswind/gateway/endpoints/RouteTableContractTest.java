package io.crosswind.gateway.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.gateway.routing.TargetOrder;
import io.crosswind.wire.Golden;
import io.crosswind.wire.RouteTable;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The golden route tables of {@code crosswind-wire}, which the operator's tests prove it writes, as
 * this gateway serves them: the tables of every released operator must be accepted and served
 * alike, so that a rolling upgrade of either side never drops an endpoint.
 */
class RouteTableContractTest {

  static final Instant BEFORE_EXPIRY = Instant.parse("2026-12-01T10:30:00Z");
  static final Instant AFTER_EXPIRY = Instant.parse("2026-12-01T11:00:01Z");

  static EndpointDirectory serve(Instant now, Golden... files) {
    EndpointDirectory directory = new EndpointDirectory(Clock.fixed(now, ZoneOffset.UTC));
    RouteTableSet set = new RouteTableSet(directory);
    for (Golden file : files) {
      set.put(file.path(), file.bytes());
    }
    assertThat(set.rejected()).as("golden tables refused").isZero();
    return directory;
  }

  static List<String> plan(RouteTable table, Instant now) {
    return TargetOrder.plan(table, now, target -> false, new SplittableRandom(7), null).stream()
        .map(RouteTable.Route::target)
        .toList();
  }

  @Test
  void aGatewayEndpointIsFoundByItsKeyAndTriesTheActiveTargetFirst() {
    EndpointDirectory directory = serve(BEFORE_EXPIRY, Golden.ROUTE_TABLE_GATEWAY_FAILOVER);

    RouteTable table = directory.find(Golden.ENDPOINT_KEY).orElseThrow();

    assertThat(table.id()).isEqualTo("payments/chat");
    assertThat(plan(table, BEFORE_EXPIRY)).containsExactly("bedrock-use1", "azure-eastus2");
    assertThat(plan(table, AFTER_EXPIRY))
        .as("the Bedrock key has expired: Azure alone until the operator publishes a new one")
        .containsExactly("azure-eastus2");
  }

  @Test
  void aTableWrittenBy010IsServedLikeTheCurrentOne() {
    RouteTable old =
        serve(BEFORE_EXPIRY, Golden.ROUTE_TABLE_WRITTEN_BY_0_1_0)
            .find(Golden.ENDPOINT_KEY)
            .orElseThrow();
    RouteTable current =
        serve(BEFORE_EXPIRY, Golden.ROUTE_TABLE_GATEWAY_FAILOVER)
            .find(Golden.ENDPOINT_KEY)
            .orElseThrow();

    assertThat(old).isEqualTo(current);
  }

  @Test
  void aDirectEndpointIsNotServed() {
    EndpointDirectory directory = serve(BEFORE_EXPIRY, Golden.ROUTE_TABLE_DIRECT);

    assertThat(directory.tables()).isEqualTo(1);
    assertThat(directory.size()).isZero();
    assertThat(directory.find(Golden.ENDPOINT_KEY)).isEmpty();
  }

  @Test
  void aRotatedKeyStaysAcceptedUntilTheOverlapEndsAndADeletingTargetIsNeverTried() {
    EndpointDirectory during = serve(BEFORE_EXPIRY, Golden.ROUTE_TABLE_WEIGHTED_ROTATING);
    EndpointDirectory after = serve(AFTER_EXPIRY, Golden.ROUTE_TABLE_WEIGHTED_ROTATING);

    assertThat(during.find(Golden.PREVIOUS_ENDPOINT_KEY)).isPresent();
    assertThat(after.find(Golden.PREVIOUS_ENDPOINT_KEY)).isEmpty();
    RouteTable table = after.find(Golden.ENDPOINT_KEY).orElseThrow();
    assertThat(table.weighted()).isTrue();
    assertThat(table.route("bedrock-use1").orElseThrow().converse()).isTrue();
    assertThat(plan(table, BEFORE_EXPIRY))
        .containsExactlyInAnyOrder("bedrock-use1", "azure-eastus2")
        .doesNotContain("azure-retired");
  }
}
