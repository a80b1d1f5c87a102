package io.crosswind.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.core.ManagementLimits;
import io.crosswind.simulators.core.Service;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many endpoints applied at once against clouds that enforce their published management limits
 * (scaled down to a fifth, so that a few dozen endpoints reach them): every endpoint becomes Ready
 * and no call the operator sends is refused. Without client-side pacing and shared reads, the burst
 * of account reads, deployment writes and listKeys goes over ARM's buckets within seconds.
 */
@ExtendWith(RealCluster.class)
class ManagementLimitsE2ETest {

  static final String NS = "limits-e2e";
  static final String OPERATOR_NS = "limits-e2e-system";
  static final String RG = "rg-limits";
  static final int AZURE_ENDPOINTS = 30;
  static final int BEDROCK_ENDPOINTS = 3;
  static final double SCALE = 0.2;

  static OperatedNamespace user;
  static Simulators clouds;

  @BeforeAll
  static void start() throws Exception {
    user =
        OperatedNamespace.create(
            NS, OPERATOR_NS, java.util.Set.of(RG), ManagementLimits.scaled(SCALE));
    clouds = user.clouds;
    SimulatedClouds.operatorIdentity(clouds);
    user.azureCredentialsSecret("azure-sp");
    // The operator knows the published limits; its budget is 80 % of the scaled ones.
    user.startOperator("limits-e2e", "--management-budget=" + (0.8 * SCALE));
  }

  @AfterAll
  static void stop() {
    if (user != null) {
      user.close();
    }
  }

  static String azureEndpoint(int i) {
    return """
        apiVersion: crosswind.io/v1alpha1
        kind: ModelEndpoint
        metadata:
          name: azure-%d
        spec:
          model: gpt-4o
          targets:
            - name: azure
              credentialsSecretRef: {name: azure-sp}
              azure:
                resourceGroup: rg-limits
                account: {name: acct-limits, create: {location: eastus2}}
                deployment:
                  model: {name: gpt-4o, version: "2024-11-20"}
                  sku: {name: GlobalStandard, capacity: 1}
        """
        .formatted(i);
  }

  static String bedrockEndpoint(int i) {
    return """
        apiVersion: crosswind.io/v1alpha1
        kind: ModelEndpoint
        metadata:
          name: bedrock-%d
        spec:
          model: llm
          targets:
            - name: bedrock-use1
              bedrock: {region: us-east-1, modelId: openai.gpt-oss-20b-1:0}
        """
        .formatted(i);
  }

  static boolean ready(String name) {
    var e = user.get(name);
    if (e == null || e.getStatus() == null || e.getStatus().getConditions() == null) {
      return false;
    }
    return e.getStatus().getConditions().stream()
        .anyMatch((Condition c) -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** An endpoint's name and the reason its Ready condition gives, for a failure message. */
  static String why(String name) {
    var e = user.get(name);
    if (e == null || e.getStatus() == null || e.getStatus().getConditions() == null) {
      return name + ": no status";
    }
    return name
        + ": "
        + e.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType()))
            .map(c -> c.getReason() + " " + c.getMessage())
            .findFirst()
            .orElse("no Ready condition");
  }

  @Test
  void endpointsAppliedTogetherAllBecomeReadyWithNoCallRefusedByTheClouds() {
    StringBuilder all = new StringBuilder();
    IntStream.range(0, AZURE_ENDPOINTS).forEach(i -> all.append(azureEndpoint(i)).append("---\n"));
    IntStream.range(0, BEDROCK_ENDPOINTS)
        .forEach(i -> all.append(bedrockEndpoint(i)).append("---\n"));
    long started = System.nanoTime();
    user.apply(all.toString());

    java.util.List<String> names = new java.util.ArrayList<>();
    IntStream.range(0, AZURE_ENDPOINTS).forEach(i -> names.add("azure-" + i));
    IntStream.range(0, BEDROCK_ENDPOINTS).forEach(i -> names.add("bedrock-" + i));
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                assertThat(names.stream().filter(n -> !ready(n)).map(ManagementLimitsE2ETest::why))
                    .as("endpoints not Ready")
                    .isEmpty());
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

    Map<String, Long> calls = clouds.calls().snapshot();
    System.out.printf(
        "%d endpoints Ready in %d s under limits scaled to %.2f; refused %s; calls %s%n",
        AZURE_ENDPOINTS + BEDROCK_ENDPOINTS, seconds, SCALE, clouds.limits().refusals(), calls);
    assertThat(clouds.limits().refusals())
        .as("calls the simulated clouds refused as over their published limits")
        .isEmpty();
    assertThat(clouds.calls().count(Service.ARM, "ListKeys"))
        .as("listKeys is a write to ARM: about one per endpoint as it becomes ready, not a storm")
        .isLessThanOrEqualTo(3L * AZURE_ENDPOINTS);
    assertThat(clouds.calls().count(Service.BEDROCK, "ListInferenceProfiles"))
        .as("endpoints applied together share one listing of the account's profiles")
        .isLessThan(BEDROCK_ENDPOINTS * 2L);
  }
}
