package io.crosswind.operator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.ModelEndpointStatus;
import io.crosswind.api.v1alpha1.Provider;
import io.crosswind.api.v1alpha1.TargetStatus;
import io.crosswind.operator.cloud.CloudError;
import io.crosswind.operator.cloud.TargetDetails;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.cloud.TargetObservation.CloudEvent;
import io.crosswind.operator.conditions.ConditionTypes;
import io.crosswind.operator.conditions.Reasons;
import io.crosswind.operator.publish.PublishedTable;
import io.crosswind.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The pure steps the ModelEndpoint reconciler is made of, each on its own: which endpoints share a
 * rotated Azure account, what is probed, when to look again, and the statuses of deletion and of a
 * failed reconcile.
 */
class ReconcileStepsTest {

  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  static final String DEPLOYMENT =
      "/subscriptions/S/resourceGroups/RG/providers/Microsoft.CognitiveServices/accounts/Acct"
          + "/deployments/payments-chat-azure-eastus2";
  static final String ACCOUNT =
      "/subscriptions/s/resourcegroups/rg/providers/microsoft.cognitiveservices/accounts/acct";

  static ModelEndpoint endpoint() {
    return Fixtures.endpoint("payments", "chat", Fixtures.TWO_TARGETS);
  }

  static TargetOutcome azure(ModelEndpoint e, TargetObservation observation) {
    return new TargetOutcome(
        e.getSpec().getTargets().get(1), Provider.AzureOpenAI, observation, false);
  }

  @Test
  void aRotationInAnAzureAccountNamesTheAccountAsARMComparesIt() {
    ModelEndpoint e = endpoint();
    TargetObservation rotated =
        TargetObservation.ready(
            DEPLOYMENT,
            "ok",
            TargetDetails.NONE,
            List.of(new CloudEvent(false, Reasons.CREDENTIALS_ROTATED, "key2 regenerated")));
    TargetObservation quiet = TargetObservation.ready(DEPLOYMENT, "ok", TargetDetails.NONE, null);
    TargetObservation bedrock =
        TargetObservation.ready(
            "arn:aws:bedrock:us-east-1:1:application-inference-profile/p",
            "ok",
            TargetDetails.NONE,
            List.of(new CloudEvent(false, Reasons.CREDENTIALS_ROTATED, "new key")));

    assertThat(SharedAccounts.rotated(List.of(azure(e, rotated)))).containsExactly(ACCOUNT);
    assertThat(SharedAccounts.rotated(List.of(azure(e, quiet)))).isEmpty();
    assertThat(SharedAccounts.rotated(List.of(azure(e, bedrock))))
        .as("a Bedrock key belongs to one target: nobody else to wake")
        .isEmpty();
  }

  @Test
  void anEndpointIsIndexedByTheAccountsItsStatusNames() {
    ModelEndpoint e = endpoint();
    TargetStatus azure = new TargetStatus();
    azure.setResourceId(DEPLOYMENT);
    TargetStatus bedrock = new TargetStatus();
    bedrock.setResourceId("arn:aws:bedrock:us-east-1:1:application-inference-profile/p");
    ModelEndpointStatus status = new ModelEndpointStatus();
    status.setTargets(List.of(azure, bedrock, new TargetStatus()));
    e.setStatus(status);

    assertThat(SharedAccounts.of(e)).containsExactly(ACCOUNT);
    assertThat(SharedAccounts.of(endpoint())).isEmpty();
  }

  @Test
  void onlyReadyRoutesWithAnUpstreamAndACredentialAreProbed() {
    PublishedTable table =
        new PublishedTable(
            1,
            "payments",
            "chat",
            "gpt-5.4",
            "Failover",
            null,
            null,
            null,
            null,
            null,
            List.of(
                route("ready", "Ready", "https://a/openai/v1", true),
                route("provisioning", "Provisioning", "https://b/openai/v1", true),
                route("no-url", "Ready", null, true),
                route("no-key", "Ready", "https://c/openai/v1", false)));

    List<ProbeTargets.ProbeTarget> probed = ProbeTargets.of(table);

    assertThat(probed).extracting(ProbeTargets.ProbeTarget::target).containsExactly("ready");
    ProbeTargets.ProbeTarget target = probed.getFirst();
    assertThat(target.provider()).isEqualTo(Provider.AzureOpenAI);
    assertThat(target.upstream().baseUrl()).isEqualTo("https://a/openai/v1");
    assertThat(target.upstream().model()).isEqualTo("deployment");
    assertThat(target.credential().value()).isEqualTo("k");
  }

  static PublishedTable.Route route(String name, String state, String url, boolean key) {
    return new PublishedTable.Route(
        name,
        "AzureOpenAI",
        state,
        "Healthy",
        "OPENAI",
        url,
        "deployment",
        "eastus2",
        1,
        1,
        key
            ? new PublishedTable.RouteCredential(
                "key1", "API_KEY_HEADER", "k", NOW.toString(), null, null, null)
            : null,
        null,
        null);
  }

  @Test
  void aReadyTargetIsLookedAtByTheResyncIntervalAndAFailedOneKeepsItsBackoff() {
    ModelEndpoint e = endpoint();
    Duration resync = Duration.ofMinutes(10);
    TargetOutcome ready =
        azure(
            e,
            TargetObservation.ready(DEPLOYMENT, "ok", TargetDetails.NONE, null)
                .recheckWithin(Duration.ofMinutes(30)));
    TargetOutcome failed =
        azure(
            e,
            TargetObservation.failed(
                new CloudError("QuotaExceeded", "no quota", Duration.ofMinutes(20)), null));
    TargetOutcome eager =
        azure(
            e,
            TargetObservation.failed(
                new CloudError("Throttled", "429", Duration.ofMillis(10)), null));

    assertThat(Rechecks.next(List.of(ready), Optional.empty(), resync)).contains(resync);
    assertThat(Rechecks.next(List.of(failed), Optional.empty(), resync))
        .contains(Duration.ofMinutes(20));
    assertThat(Rechecks.next(List.of(failed), Optional.of(Duration.ofMinutes(2)), resync))
        .as("a stabilization window ending sooner")
        .contains(Duration.ofMinutes(2));
    assertThat(Rechecks.next(List.of(eager), Optional.empty(), resync))
        .as("never sooner than the floor")
        .contains(EndpointSettings.MIN_RECHECK);
    assertThat(Rechecks.next(List.of(), Optional.empty(), resync)).isEmpty();
  }

  @Test
  void endpointsAppliedTogetherResyncSpreadOverTheIntervalNotInOneBurst() {
    Duration resync = Duration.ofMinutes(10);
    int[] buckets = new int[10];
    for (int i = 0; i < 2_000; i++) {
      Duration own = Rechecks.resyncOf("team-" + (i % 7), "endpoint-" + i, resync);
      assertThat(own).isBetween(resync.multipliedBy(3).dividedBy(4), resync);
      assertThat(Rechecks.resyncOf("team-" + (i % 7), "endpoint-" + i, resync))
          .as("the same endpoint keeps its phase")
          .isEqualTo(own);
      long intoTheLastQuarter = resync.toMillis() - own.toMillis();
      buckets[(int) Math.min(9, intoTheLastQuarter * 10 / (resync.toMillis() / 4))]++;
    }
    // 2,000 endpoints over ten slices of the last quarter: about 200 each, none empty or crowded.
    assertThat(java.util.Arrays.stream(buckets).boxed().toList())
        .allSatisfy(n -> assertThat(n).isBetween(120, 280));
  }

  @Test
  void aFailedReconcileTurnsReadyFalseWithTheKindOfErrorAndKeepsTheRest() {
    ModelEndpoint e = endpoint();
    e.getMetadata().setGeneration(3L);
    Condition degraded = new Condition();
    degraded.setType(ConditionTypes.DEGRADED);
    degraded.setStatus("False");
    degraded.setReason("AllTargetsReady");
    ModelEndpointStatus before = new ModelEndpointStatus();
    before.setActiveTarget("azure-eastus2");
    before.setObservedGeneration(2L);
    before.setConditions(List.of(degraded));
    e.setStatus(before);

    ModelEndpointStatus after =
        EndpointStatusFactory.failed(
            e, new IllegalStateException("the cloud said s3cret-detail"), NOW);

    Condition ready =
        after.getConditions().stream()
            .filter(c -> ConditionTypes.READY.equals(c.getType()))
            .findFirst()
            .orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo(Reasons.RECONCILE_ERROR);
    assertThat(ready.getMessage())
        .contains("IllegalStateException")
        .doesNotContain("s3cret-detail");
    assertThat(after.getConditions()).contains(degraded);
    assertThat(after.getActiveTarget()).isEqualTo("azure-eastus2");
    assertThat(after.getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void aDeletionWaitingOnACommitmentSaysWhatToDo() {
    ModelEndpoint e = endpoint();
    TargetOutcome blocked =
        azure(
            e,
            TargetObservation.failed(
                new CloudError(Reasons.DELETION_BLOCKED, "throughput is committed until May", null),
                null));
    TargetOutcome waiting =
        azure(
            e,
            TargetObservation.deleting(
                "Deleting", "deleting its deployment", DEPLOYMENT, Duration.ofSeconds(10)));

    Condition blockedReady = ready(EndpointStatusFactory.deleting(e, List.of(blocked), NOW));
    Condition waitingReady = ready(EndpointStatusFactory.deleting(e, List.of(waiting), NOW));

    assertThat(blockedReady.getReason()).isEqualTo(Reasons.DELETION_BLOCKED);
    assertThat(blockedReady.getMessage())
        .contains("throughput is committed until May")
        .endsWith("set deletionPolicy: Retain to let the endpoint go and keep them.");
    assertThat(waitingReady.getReason()).isEqualTo(Reasons.DELETING);
    assertThat(waitingReady.getMessage())
        .isEqualTo(
            "Deleting the endpoint waits on azure-eastus2 (Deleting: deleting its deployment).");
  }

  static Condition ready(ModelEndpointStatus status) {
    return status.getConditions().stream()
        .filter(c -> ConditionTypes.READY.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }
}
