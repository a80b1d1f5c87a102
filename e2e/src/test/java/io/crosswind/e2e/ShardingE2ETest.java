package io.crosswind.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.operator.CrosswindOperator;
import io.crosswind.simulators.core.Service;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two operators on one namespace, each a shard with a label selector and a Lease of its own, as
 * docs/configuration.md ("Sizing and sharding") describes: both lead at once, each endpoint is
 * reconciled by its shard alone, and an endpoint relabelled into the other shard is taken over
 * there without anything created again in the cloud.
 */
@ExtendWith(RealCluster.class)
class ShardingE2ETest {

  static final String NS = "shards-e2e";
  static final String OPERATOR_NS = "shards-e2e-system";

  static OperatedNamespace user;
  static CrosswindOperator shardA;
  static CrosswindOperator shardB;

  @BeforeAll
  static void start() throws Exception {
    user = OperatedNamespace.create(NS, OPERATOR_NS, Set.of());
    SimulatedClouds.operatorIdentity(user.clouds);
    shardA =
        user.startShard(
            "shard-a",
            "--leader-election-lease=crosswind-shard-a",
            "--selector=crosswind.io/shard notin (b)");
    shardB =
        user.startShard(
            "shard-b",
            "--leader-election-lease=crosswind-shard-b",
            "--selector=crosswind.io/shard=b");
  }

  @AfterAll
  static void stop() {
    if (shardA != null) {
      shardA.close();
    }
    if (shardB != null) {
      shardB.close();
    }
    if (user != null) {
      user.close();
    }
  }

  static String endpoint(String name, String shardLabel) {
    return """
        apiVersion: crosswind.io/v1alpha1
        kind: ModelEndpoint
        metadata:
          name: %s
          labels: {%s}
        spec:
          model: llm
          targets:
            - name: bedrock-use1
              bedrock: {region: us-east-1, modelId: openai.gpt-oss-20b-1:0}
        """
        .formatted(name, shardLabel == null ? "" : "crosswind.io/shard: " + shardLabel);
  }

  /** The operators that wrote events about the endpoint, by their reporting instance. */
  static Set<String> reporters(String endpoint) {
    return user.client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> endpoint.equals(e.getInvolvedObject().getName()))
        .map(Event::getReportingInstance)
        .collect(Collectors.toSet());
  }

  static void awaitReady(String name) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(user.ready(name).map(c -> c.getStatus()))
                    .as("%s Ready", name)
                    .contains("True"));
  }

  static String holder(String lease) {
    Lease l = user.client.leases().inNamespace(OPERATOR_NS).withName(lease).get();
    return l == null ? null : l.getSpec().getHolderIdentity();
  }

  @Test
  void eachShardLeadsWithItsOwnLeaseAndReconcilesItsEndpointsAloneAndAMovedOneIsTakenOver() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(holder("crosswind-shard-a")).isEqualTo("shard-a");
              assertThat(holder("crosswind-shard-b")).isEqualTo("shard-b");
            });

    user.apply(endpoint("unlabelled", null));
    user.apply(endpoint("labelled-b", "b"));
    awaitReady("unlabelled");
    awaitReady("labelled-b");

    assertThat(reporters("unlabelled")).as("who reconciled unlabelled").containsOnly("shard-a");
    assertThat(reporters("labelled-b")).as("who reconciled labelled-b").containsOnly("shard-b");
    long profilesCreated = user.clouds.calls().count(Service.BEDROCK, "CreateInferenceProfile");
    assertThat(profilesCreated).as("one inference profile per endpoint").isEqualTo(2);

    // Move labelled-b to shard a: drop its label. Shard a takes it over; the delete proves it,
    // since only the shard that reconciles an endpoint runs its finalizer.
    user.kubectl("label", "mep", "labelled-b", "crosswind.io/shard-");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(user.get("labelled-b").getMetadata().getLabels())
                    .doesNotContainKey("crosswind.io/shard"));
    awaitReady("labelled-b");
    user.kubectl("delete", "mep", "labelled-b", "--timeout=60s");

    assertThat(
            user.client.resources(ModelEndpoint.class).inNamespace(NS).withName("labelled-b").get())
        .isNull();
    assertThat(reporters("labelled-b"))
        .as("shard a reported the deletion of the endpoint it took over")
        .contains("shard-a", "shard-b");
    assertThat(user.clouds.calls().count(Service.BEDROCK, "CreateInferenceProfile"))
        .as("nothing created again in the cloud when the endpoint changed shards")
        .isEqualTo(profilesCreated);
    assertThat(user.clouds.calls().count(Service.BEDROCK, "DeleteInferenceProfile"))
        .as("its profile deleted by the shard that took it over")
        .isEqualTo(1);
    assertThat(reporters("unlabelled")).containsOnly("shard-a");
  }
}
