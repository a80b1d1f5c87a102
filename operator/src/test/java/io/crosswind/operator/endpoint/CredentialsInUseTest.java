package io.crosswind.operator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.ModelEndpointSpec;
import io.crosswind.api.v1alpha1.SecretReference;
import io.crosswind.api.v1alpha1.Target;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.publish.PublishedTable;
import io.crosswind.operator.publish.PublishedTable.Route;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which credentials Secrets an endpoint holds, and when it lets them go. */
class CredentialsInUseTest {

  static Target target(String name, String secret) {
    Target t = new Target();
    t.setName(name);
    if (secret != null) {
      SecretReference ref = new SecretReference();
      ref.setName(secret);
      t.setCredentialsSecretRef(ref);
    }
    return t;
  }

  static ModelEndpoint endpoint(Target... targets) {
    ModelEndpoint e = new ModelEndpoint();
    e.setMetadata(
        new ObjectMetaBuilder().withNamespace("payments").withName("chat").withUid("u-1").build());
    ModelEndpointSpec spec = new ModelEndpointSpec();
    spec.setTargets(List.of(targets));
    e.setSpec(spec);
    return e;
  }

  static PublishedTable madeFor(Target... targets) {
    List<Route> routes =
        java.util.Arrays.stream(targets)
            .map(
                t ->
                    new Route(
                        t.getName(),
                        "Azure",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        "/subscriptions/s/x/" + t.getName(),
                        t))
            .toList();
    return new PublishedTable(
        1, "payments", "chat", null, null, null, null, null, null, null, routes);
  }

  static TargetOutcome removed(Target t, TargetObservation observation) {
    return new TargetOutcome(t, null, observation, true);
  }

  @Test
  void aRemovedTargetsSecretIsReleasedOnceItsResourcesAreGone() {
    Target kept = target("a", "azure-sp");
    Target gone = target("b", "old-sp");
    ModelEndpoint endpoint = endpoint(kept);

    assertThat(
            TargetProvisioner.credentialsNoLongerNeeded(
                endpoint,
                madeFor(kept, gone),
                List.of(
                    removed(
                        gone,
                        TargetObservation.deleting(
                            "Deleting", "…", null, java.time.Duration.ofSeconds(5))))))
        .as("while its deletion is pending, the Secret is still needed")
        .isEmpty();
    assertThat(
            TargetProvisioner.credentialsNoLongerNeeded(
                endpoint,
                madeFor(kept, gone),
                List.of(removed(gone, TargetObservation.deleting("Deleted", "…", null, null)))))
        .containsExactly("old-sp");
  }

  @Test
  void aSecretAnotherTargetStillNamesIsKept() {
    Target kept = target("a", "shared-sp");
    Target gone = target("b", "shared-sp");

    assertThat(
            TargetProvisioner.credentialsNoLongerNeeded(
                endpoint(kept),
                madeFor(kept, gone),
                List.of(removed(gone, TargetObservation.deleting("Deleted", "…", null, null)))))
        .isEmpty();
  }

  @Test
  void onDeletionEverySecretTheEndpointEverNamedIsReleased() {
    Target now = target("a", "new-sp");
    Target before = target("b", "old-sp");

    assertThat(TargetProvisioner.allCredentialsSecrets(endpoint(now), madeFor(before)))
        .containsExactly("new-sp", "old-sp");
    assertThat(
            TargetProvisioner.allCredentialsSecrets(
                endpoint(target("c", null)), madeFor(target("c", null))))
        .as("a target on the operator's identity holds no Secret")
        .isEmpty();
  }

  @Test
  void theEndpointHoldsTheFinalizerOnlyUnderItsOwnFieldManager() {
    ModelEndpoint endpoint = endpoint(target("a", "azure-sp"));
    FieldsV1 fields = new FieldsV1();
    fields.setAdditionalProperty(
        "f:metadata", Map.of("f:finalizers", Map.of("v:\"crosswind.io/in-use\"", Map.of())));

    assertThat(CredentialsInUse.holds(endpoint, secretManagedBy("crosswind-in-use-u-1", fields)))
        .isTrue();
    assertThat(CredentialsInUse.holds(endpoint, secretManagedBy("crosswind-in-use-u-2", fields)))
        .as("another endpoint's share")
        .isFalse();
    assertThat(
            CredentialsInUse.holds(
                endpoint, new SecretBuilder().withNewMetadata().endMetadata().build()))
        .isFalse();
  }

  static Secret secretManagedBy(String manager, FieldsV1 fields) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("azure-sp")
        .withManagedFields(
            new ManagedFieldsEntryBuilder()
                .withManager(manager)
                .withOperation("Apply")
                .withFieldsV1(fields)
                .build())
        .endMetadata()
        .build();
  }
}
