package io.crosswind.operator.cloud.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.operator.cloud.Owner;
import io.crosswind.testing.KubernetesNames;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple.Tuple3;

/**
 * The name of a target's inference profile or throughput is a function of (namespace, endpoint,
 * target) that no two targets share, and one both resource kinds accept.
 */
class BedrockNamesPropertiesTest {

  @Provide
  Arbitrary<Tuple3<String, String, String>> targets() {
    return KubernetesNames.targets();
  }

  @Property(tries = 2000)
  void twoTargetsNeverShareAName(
      @ForAll("targets") Tuple3<String, String, String> one,
      @ForAll("targets") Tuple3<String, String, String> other) {
    KubernetesNames.assertApart(one, other, BedrockNamesPropertiesTest::name);
  }

  static String name(Tuple3<String, String, String> target) {
    return BedrockTargetSpec.derivedName(
        new Owner("c", target.get1(), target.get2()), target.get3());
  }

  @Property(tries = 2000)
  void everyNameIsOneBothResourceKindsAccept(
      @ForAll("targets") Tuple3<String, String, String> target) {
    assertThat(name(target))
        .hasSizeLessThanOrEqualTo(BedrockTargetSpec.MAX_NAME)
        .matches(BedrockTargetSpecTest.PROFILE_NAME)
        .matches(BedrockTargetSpecTest.THROUGHPUT_NAME);
  }
}
