package io.crosswind.operator.cloud.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.operator.cloud.Owner;
import io.crosswind.testing.KubernetesNames;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple.Tuple3;

/**
 * The deployment name Crosswind derives is a function of (namespace, endpoint, target) that no two
 * targets share, and one Azure accepts.
 */
class AzureNamesPropertiesTest {

  /** The rule the CRD gives a deployment name the user sets, which is Azure's (64 at most). */
  static final String DEPLOYMENT_NAME = "[-\\w._()]*[-\\w_()]";

  @Provide
  Arbitrary<Tuple3<String, String, String>> targets() {
    return KubernetesNames.targets();
  }

  @Property(tries = 2000)
  void twoTargetsNeverShareADeploymentName(
      @ForAll("targets") Tuple3<String, String, String> one,
      @ForAll("targets") Tuple3<String, String, String> other) {
    KubernetesNames.assertApart(one, other, AzureNamesPropertiesTest::name);
  }

  static String name(Tuple3<String, String, String> target) {
    return AzureDeploymentSpec.derivedName(
        new Owner("c", target.get1(), target.get2()), target.get3());
  }

  @Property(tries = 2000)
  void everyDeploymentNameIsOneAzureAccepts(
      @ForAll("targets") Tuple3<String, String, String> target) {
    assertThat(name(target))
        .hasSizeLessThanOrEqualTo(AzureDeploymentSpec.MAX_NAME)
        .matches(DEPLOYMENT_NAME);
  }
}
