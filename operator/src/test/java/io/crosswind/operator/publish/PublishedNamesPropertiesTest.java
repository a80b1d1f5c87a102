package io.crosswind.operator.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.testing.KubernetesNames;
import io.crosswind.wire.RouteTableSecret;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * The route table's name is a function of (namespace, name) that no two endpoints share: over
 * generated names of tiny alphabets, where dashes and dots make the old scheme collide often, and
 * over names long enough to be cut.
 */
class PublishedNamesPropertiesTest {

  private static final String SUBDOMAIN =
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

  @Provide
  Arbitrary<Tuple2<String, String>> endpoints() {
    return Combinators.combine(KubernetesNames.namespace(), KubernetesNames.subdomain())
        .as(Tuple::of);
  }

  @Property(tries = 2000)
  void twoEndpointsNeverShareARouteTable(
      @ForAll("endpoints") Tuple2<String, String> one,
      @ForAll("endpoints") Tuple2<String, String> other) {
    KubernetesNames.assertApart(one, other, e -> PublishedNames.routeTable(e.get1(), e.get2()));
  }

  @Property(tries = 2000)
  void everyRouteTableNameIsASecretNameKubernetesAccepts(
      @ForAll("endpoints") Tuple2<String, String> endpoint) {
    String name = PublishedNames.routeTable(endpoint.get1(), endpoint.get2());
    assertThat(name).hasSizeLessThanOrEqualTo(253).matches(SUBDOMAIN);
    assertThat(name).isEqualTo(PublishedNames.routeTable(endpoint.get1(), endpoint.get2()));
  }

  @Example
  void namesTheOldSchemeGaveTwoEndpointsAreNowApart() {
    assertThat(RouteTableSecret.legacyName("team", "prod-chat"))
        .isEqualTo(RouteTableSecret.legacyName("team-prod", "chat"));

    assertThat(PublishedNames.routeTable("team", "prod-chat"))
        .isEqualTo("crosswind-routes-team.prod-chat");
    assertThat(PublishedNames.routeTable("team-prod", "chat"))
        .isEqualTo("crosswind-routes-team-prod.chat");
  }

  @Example
  void namesCutToLengthStayApartAndLongerThanAnyUncutOne() {
    String head =
        "a".repeat(63) + "." + "b".repeat(63) + "." + "a".repeat(63) + "." + "c".repeat(10);
    List<String> names =
        List.of(
            PublishedNames.routeTable("team", head + ".x"),
            PublishedNames.routeTable("team", head + ".y"),
            PublishedNames.routeTable("team", head + "-x"));

    assertThat(names).doesNotHaveDuplicates().allSatisfy(n -> assertThat(n).hasSize(253));
    assertThat(PublishedNames.routeTable("team", "b".repeat(198))).hasSize(220);
  }
}
