package io.crosswind.operator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.ModelEndpointStatus;
import io.crosswind.testing.Fixtures;
import io.javaoperatorsdk.operator.OperatorException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a failed publication says in Ready, however JOSDK wrapped the failure. */
class PublishRefusedTest {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  static Condition ready(Exception failure) {
    ModelEndpoint endpoint = Fixtures.endpoint("payments", "chat", Fixtures.TWO_TARGETS);
    ModelEndpointStatus status = EndpointStatusFactory.failed(endpoint, failure, T0);
    return status.getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aWriteTheApiServerForbidsSaysWhatToAddToTheChart() {
    Condition ready = ready(new OperatorException(PublishRefused.forbidden("Secrets", "payments")));

    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("PublishForbidden");
    assertThat(ready.getMessage())
        .isEqualTo(
            "The operator may not write Secrets in namespace payments. The Helm chart gives it"
                + " write access only in the namespaces of its grants and"
                + " operator.watchNamespaces: add payments to one of them and upgrade the"
                + " release, or set rbac.clusterWide=true (docs/security.md).");
  }

  @Test
  void aTakenNameKeepsItsOwnReasonAndAnyOtherFailureIsAReconcileError() {
    assertThat(ready(PublishRefused.nameTaken("A Secret named chat-endpoint exists.")))
        .extracting(Condition::getReason, Condition::getMessage)
        .containsExactly("NameTaken", "A Secret named chat-endpoint exists.");
    assertThat(ready(new IllegalStateException("boom")).getReason()).isEqualTo("ReconcileError");
  }
}
