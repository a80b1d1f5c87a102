package io.crosswind.operator.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.testing.Fixtures;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which RoutingPolicies an endpoint's event makes recount their users. */
class PoliciesToRecountTest {

  final RoutingPolicyReconciler reconciler = new RoutingPolicyReconciler(null, Clock.systemUTC());

  static ModelEndpoint endpoint(String policy, String version) {
    ModelEndpoint e =
        Fixtures.endpoint(
            "payments",
            "chat",
            Fixtures.TWO_TARGETS + "routingPolicyRef: {name: " + policy + "}\n");
    e.getMetadata().setResourceVersion(version);
    e.getMetadata().setFinalizers(List.of("modelendpoints.crosswind.io/finalizer"));
    return e;
  }

  static ResourceID policy(String name) {
    return new ResourceID(name, "payments");
  }

  @Test
  void anEndpointThatMovesToAnotherPolicyHasBothRecount() {
    assertThat(reconciler.policiesToRecount(endpoint("aws-first", "1")))
        .containsExactly(policy("aws-first"));

    assertThat(reconciler.policiesToRecount(endpoint("azure-first", "2")))
        .containsExactlyInAnyOrder(policy("aws-first"), policy("azure-first"));
    assertThat(reconciler.policiesToRecount(endpoint("azure-first", "2")))
        .as("asked twice for one event, the same answer")
        .containsExactlyInAnyOrder(policy("aws-first"), policy("azure-first"));
  }

  @Test
  void aDeletedEndpointIsRecountedAndForgotten() {
    reconciler.policiesToRecount(endpoint("aws-first", "1"));
    reconciler.policiesToRecount(endpoint("azure-first", "2"));
    ModelEndpoint deleting = endpoint("azure-first", "3");
    deleting.getMetadata().setDeletionTimestamp("2026-12-01T10:00:00Z");
    ModelEndpoint released = endpoint("azure-first", "4");
    released.getMetadata().setDeletionTimestamp("2026-12-01T10:00:00Z");
    released.getMetadata().setFinalizers(List.of());

    assertThat(reconciler.policiesToRecount(deleting)).contains(policy("azure-first"));
    assertThat(reconciler.remembered()).isEqualTo(1);
    assertThat(reconciler.policiesToRecount(released)).containsExactly(policy("azure-first"));
    assertThat(reconciler.policiesToRecount(released))
        .as("the deletion event itself")
        .containsExactly(policy("azure-first"));
    assertThat(reconciler.remembered()).as("nothing kept for an endpoint that is gone").isZero();
  }
}
