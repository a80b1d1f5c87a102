package io.crosswind.operator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.ModelEndpointStatus;
import io.crosswind.operator.cloud.ManagementPacer.Work;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which reconciles pace their cloud calls as background work, behind what a person waits for. */
class WorkOfTest {

  static ModelEndpoint endpoint(long generation, long observed, String ready, String targets) {
    ModelEndpoint e = new ModelEndpoint();
    e.setMetadata(new ObjectMetaBuilder().withName("chat").withGeneration(generation).build());
    ModelEndpointStatus status = new ModelEndpointStatus();
    status.setObservedGeneration(observed);
    status.setConditions(List.of(condition("Ready", ready), condition("TargetsReady", targets)));
    e.setStatus(status);
    return e;
  }

  static Condition condition(String type, String value) {
    Condition c = new Condition();
    c.setType(type);
    c.setStatus(value);
    return c;
  }

  @Test
  void onlyAnUnchangedEndpointWithEveryTargetProvisionedIsBackgroundWork() {
    assertThat(ModelEndpointReconciler.workOf(endpoint(3, 3, "True", "True")))
        .isEqualTo(Work.BACKGROUND);
    assertThat(ModelEndpointReconciler.workOf(endpoint(3, 3, "True", "False")))
        .as("serving through one target while another is still being made")
        .isEqualTo(Work.USER_VISIBLE);
    assertThat(ModelEndpointReconciler.workOf(endpoint(4, 3, "True", "True")))
        .as("a change not yet observed")
        .isEqualTo(Work.USER_VISIBLE);
    assertThat(ModelEndpointReconciler.workOf(endpoint(3, 3, "False", "True")))
        .isEqualTo(Work.USER_VISIBLE);
  }
}
