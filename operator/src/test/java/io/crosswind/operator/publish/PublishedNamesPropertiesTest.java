package io.crosswind.operator.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.wire.RouteTableSecret;
import java.util.List;
import net.jqwik.api.Arbitraries;
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

  /** A DNS label over a, b and dash, as namespace names are (at most 63 characters). */
  static Arbitrary<String> label(int max) {
    Arbitrary<String> edge = Arbitraries.of("a", "b");
    Arbitrary<String> inner = Arbitraries.strings().withChars('a', 'b', '-').ofMaxLength(max - 2);
    return Arbitraries.oneOf(
        edge, Combinators.combine(edge, inner, edge).as((x, y, z) -> x + y + z));
  }

  /** A DNS subdomain, as object names are: labels joined by dots, at most 253 characters. */
  static Arbitrary<String> subdomain() {
    return Arbitraries.oneOf(label(8), label(63))
        .list()
        .ofMinSize(1)
        .ofMaxSize(5)
        .map(labels -> String.join(".", labels))
        .filter(s -> s.length() <= 253);
  }

  @Provide
  Arbitrary<Tuple2<String, String>> endpoints() {
    return Combinators.combine(Arbitraries.oneOf(label(6), label(63)), subdomain()).as(Tuple::of);
  }

  @Property(tries = 2000)
  void twoEndpointsNeverShareARouteTable(
      @ForAll("endpoints") Tuple2<String, String> one,
      @ForAll("endpoints") Tuple2<String, String> other) {
    String a = PublishedNames.routeTable(one.get1(), one.get2());
    String b = PublishedNames.routeTable(other.get1(), other.get2());
    assertThat(a.equals(b))
        .as("%s and %s lead to %s and %s", one, other, a, b)
        .isEqualTo(one.equals(other));
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
