package io.crosswind.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple3;

/**
 * Generators of the names Kubernetes allows, over tiny alphabets (a, b, dash and dot), where any
 * scheme that maps dashes and dots together collides often, and long enough to be cut.
 */
public final class KubernetesNames {

  private KubernetesNames() {}

  /** A DNS label over a, b and dash, as namespace and target names are. */
  public static Arbitrary<String> label(int max) {
    Arbitrary<String> edge = Arbitraries.of("a", "b");
    Arbitrary<String> inner = Arbitraries.strings().withChars('a', 'b', '-').ofMaxLength(max - 2);
    return Arbitraries.oneOf(
        edge, Combinators.combine(edge, inner, edge).as((x, y, z) -> x + y + z));
  }

  /** A namespace name: short or up to 63 characters. */
  public static Arbitrary<String> namespace() {
    return Arbitraries.oneOf(label(6), label(63));
  }

  /** A DNS subdomain, as object names are: labels joined by dots, at most 253 characters. */
  public static Arbitrary<String> subdomain() {
    return Arbitraries.oneOf(label(8), label(63))
        .list()
        .ofMinSize(1)
        .ofMaxSize(5)
        .map(labels -> String.join(".", labels))
        .filter(s -> s.length() <= 253);
  }

  /** A target of an endpoint: (namespace, endpoint name, target name). */
  public static Arbitrary<Tuple3<String, String, String>> targets() {
    return Combinators.combine(namespace(), subdomain(), label(12)).as(Tuple::of);
  }

  /** Checks that a naming scheme gives two inputs one name exactly when they are equal. */
  public static <T> void assertApart(T one, T other, Function<T, String> naming) {
    String a = naming.apply(one);
    String b = naming.apply(other);
    assertThat(a.equals(b))
        .as("%s and %s lead to %s and %s", one, other, a, b)
        .isEqualTo(one.equals(other));
  }
}
