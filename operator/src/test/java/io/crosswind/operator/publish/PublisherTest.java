package io.crosswind.operator.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the publisher writes: only when the cluster's object says less or other than ours. */
class PublisherTest {

  static final Map<String, String> LABELS =
      PublishedNames.labels("payments", "chat", PublishedNames.COMPONENT_ENDPOINT);

  static Service desired() {
    return Publisher.gatewayAlias(
        "payments",
        "chat",
        LABELS,
        new OwnerReferenceBuilder()
            .withApiVersion("crosswind.io/v1alpha1")
            .withKind("ModelEndpoint")
            .withName("chat")
            .withUid("u1")
            .withController(true)
            .build(),
        "crosswind-gateway.crosswind-system.svc.cluster.local");
  }

  @Test
  void theSameServiceWithWhatOthersAddedIsNotWrittenAgain() {
    Service current =
        new ServiceBuilder(desired())
            .editMetadata()
            .addToLabels("team", "payments")
            .addToAnnotations("argocd.argoproj.io/tracking-id", "x")
            .endMetadata()
            .build();

    assertThat(Publisher.same(desired(), current)).isTrue();
  }

  @Test
  void aPortBeyondTheFirstThatDiffersIsWritten() {
    Service desired =
        new ServiceBuilder(desired())
            .editSpec()
            .addToPorts(new ServicePortBuilder().withName("https").withPort(443).build())
            .endSpec()
            .build();
    Service current =
        new ServiceBuilder(desired())
            .editSpec()
            .addToPorts(new ServicePortBuilder().withName("https").withPort(8443).build())
            .endSpec()
            .build();

    assertThat(Publisher.same(desired, current)).isFalse();
    assertThat(Publisher.same(desired, desired)).isTrue();
  }

  @Test
  void anAnnotationOfOursThatDiffersIsWritten() {
    Service desired =
        new ServiceBuilder(desired())
            .editMetadata()
            .addToAnnotations("crosswind.io/endpoint-key-rotated-for", "r2")
            .endMetadata()
            .build();
    Service current =
        new ServiceBuilder(desired())
            .editMetadata()
            .addToAnnotations("crosswind.io/endpoint-key-rotated-for", "r1")
            .endMetadata()
            .build();

    assertThat(Publisher.same(desired, current)).isFalse();
  }

  @Test
  void aLabelOfOursThatWasRemovedIsWrittenBack() {
    Service current =
        new ServiceBuilder(desired())
            .editMetadata()
            .removeFromLabels(PublishedNames.MANAGED_BY)
            .endMetadata()
            .build();

    assertThat(Publisher.same(desired(), current)).isFalse();
  }
}
