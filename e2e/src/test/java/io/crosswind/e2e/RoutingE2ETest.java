package io.crosswind.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Routing end to end: one endpoint served by Bedrock first and Azure second, probed by the
 * operator, on the real API server; outages, throttling, failback, pins, region constraints and
 * policy edits as a platform team causes them, seen through kubectl, the published Secret and the
 * route table.
 */
@ExtendWith(RealCluster.class)
class RoutingE2ETest {

  static OperatedNamespace user;

  static final String POLICY =
      """
      apiVersion: crosswind.io/v1alpha1
      kind: RoutingPolicy
      metadata:
        name: %s
      spec:
        strategy: Failover
        targets:
          - {provider: Bedrock, priority: 1}
          - {provider: AzureOpenAI, priority: 2}
        failover:
          triggers: [%s]
          probe: {interval: 1s, timeout: 800ms, failureThreshold: 2, successThreshold: 2}
          failback: Automatic
          stabilizationWindow: 6s
      %s
      """;

  static final String ENDPOINT =
      """
      apiVersion: crosswind.io/v1alpha1
      kind: ModelEndpoint
      metadata:
        name: %s
      spec:
        model: gpt-oss-120b
        routingPolicyRef: {name: %s}
        targets:
          - name: bedrock-use1
            bedrock: {region: us-east-1, modelId: %s}
          - name: azure-eastus2
            azure:
              resourceGroup: rg-routing
              account: {name: %s, create: {location: eastus2}}
              deployment:
                model: {name: gpt-4o}
                sku: {name: GlobalStandard, capacity: 5}
      %s
      """;

  @BeforeAll
  static void start() throws Exception {
    user = OperatedNamespace.create("routing-e2e", "crosswind-routing-e2e", Set.of("rg-routing"));
    SimulatedClouds.operatorIdentity(user.clouds);
    user.startOperator("routing-e2e");
  }

  @AfterAll
  static void stop() {
    if (user != null) {
      user.close();
    }
  }

  @AfterEach
  void restoreClouds() {
    user.resetClouds();
  }

  /** A policy and an endpoint of their own, serving through Bedrock with Azure ready. */
  static void endpointWithPolicy(String name, String triggers, String extra) {
    user.apply(POLICY.formatted(name, triggers, extra));
    user.apply(ENDPOINT.formatted(name, name, "openai.gpt-oss-120b-1:0", "acct-" + name, ""));
    awaitActive(name, "bedrock-use1", Duration.ofSeconds(90));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .until(() -> get(name).getStatus().getTargetsReady().equals("2/2"));
  }

  static ModelEndpoint get(String name) {
    return user.get(name);
  }

  static Optional<Condition> condition(String name, String type) {
    ModelEndpoint e = get(name);
    return e == null || e.getStatus() == null || e.getStatus().getConditions() == null
        ? Optional.empty()
        : e.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  static String publishedTarget(String name) {
    return user.endpointSecret(name).get("CROSSWIND_TARGET");
  }

  /** Waits until status, the route table and the endpoint Secret all name {@code target}. */
  static void awaitActive(String name, String target, Duration within) {
    await()
        .ignoreExceptions()
        .atMost(within)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              assertThat(get(name).getStatus().getActiveTarget()).isEqualTo(target);
              assertThat(user.routeTable(name).active()).isEqualTo(target);
              assertThat(publishedTarget(name)).isEqualTo(target);
            });
  }

  static String events(String name) {
    return user.events(name);
  }

  @Test
  void anOutageOfTheActiveTargetMovesTrafficAndItComesBackAfterTheWindow() throws Exception {
    endpointWithPolicy("outage", "Unhealthy, Throttled, NotReady", "");

    user.clouds.faults().add(Fault.outage(Service.BEDROCK_RUNTIME, "*"));

    // Two failed probes at a 1 s interval, then one reconcile: well within 10 s.
    awaitActive("outage", "azure-eastus2", Duration.ofSeconds(10));
    assertThat(condition("outage", "Degraded").orElseThrow().getReason())
        .isEqualTo("ServingFromFallback");
    assertThat(condition("outage", "Ready").orElseThrow().getStatus()).isEqualTo("True");
    assertThat(events("outage")).contains("FailedOver").contains("failed probes of bedrock-use1");
    assertThat(user.metrics())
        .containsPattern(
            "crosswind_failovers_total\\{[^}]*endpoint=\"outage\"[^}]*from=\"bedrock-use1\"[^}]*kind=\"FailedOver\"[^}]*to=\"azure-eastus2\"[^}]*} 1\\.0")
        .containsPattern(
            "crosswind_endpoint_active_target\\{[^}]*endpoint=\"outage\"[^}]*target=\"azure-eastus2\"[^}]*} 1\\.0")
        .contains("crosswind_probe_seconds_count{");

    user.clouds.faults().clear();

    // Healthy again after two good probes, back once 6 s have passed since the switch.
    awaitActive("outage", "bedrock-use1", Duration.ofSeconds(20));
    assertThat(events("outage")).contains("FailedBack");
    assertThat(condition("outage", "Degraded").orElseThrow().getStatus()).isEqualTo("False");
  }

  @Test
  void throttlingMovesTrafficOnlyWhenThePolicyFailsOverOnIt() {
    endpointWithPolicy("throttle-moves", "Unhealthy, Throttled, NotReady", "");
    endpointWithPolicy("throttle-stays", "Unhealthy, NotReady", "");

    user.clouds
        .faults()
        .add(Fault.throttle(Service.BEDROCK_RUNTIME, "*", 1.0, Duration.ofSeconds(1)));

    awaitActive("throttle-moves", "azure-eastus2", Duration.ofSeconds(10));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(condition("throttle-stays", "Degraded").orElseThrow().getReason())
                    .isEqualTo("ActiveTargetUnhealthy"));
    assertThat(get("throttle-stays").getStatus().getActiveTarget()).isEqualTo("bedrock-use1");
    assertThat(get("throttle-stays").getStatus().getTargets().get(0).getHealth().name())
        .isEqualTo("Throttled");
  }

  @Test
  void aPinWinsAtOnceAndUnpinningReturnsAfterTheWindow() {
    endpointWithPolicy("pinned", "Unhealthy, Throttled, NotReady", "");

    user.kubectl(
        "patch", "rpol", "pinned", "--type=merge", "-p", "{\"spec\":{\"pin\":\"AzureOpenAI\"}}");
    awaitActive("pinned", "azure-eastus2", Duration.ofSeconds(10));
    assertThat(events("pinned")).contains("Pinned");
    assertThat(condition("pinned", "Ready").orElseThrow().getMessage()).contains("pinned");

    user.kubectl("patch", "rpol", "pinned", "--type=merge", "-p", "{\"spec\":{\"pin\":\"\"}}");
    awaitActive("pinned", "bedrock-use1", Duration.ofSeconds(20));
  }

  @Test
  void aRegionConstraintEditedIntoThePolicyTakesEffectAtOnce() {
    endpointWithPolicy("resident", "Unhealthy, Throttled, NotReady", "");

    user.kubectl(
        "patch",
        "rpol",
        "resident",
        "--type=merge",
        "-p",
        "{\"spec\":{\"constraints\":{\"regions\":[\"eastus2\"]}}}");

    awaitActive("resident", "azure-eastus2", Duration.ofSeconds(10));
    assertThat(condition("resident", "Degraded").orElseThrow().getStatus()).isEqualTo("True");
  }

  @Test
  void aDeletedPolicyIsReportedAndTrafficKeepsToTheTargetsOrder() {
    endpointWithPolicy("orphan", "Unhealthy, Throttled, NotReady", "");

    user.kubectl("delete", "rpol", "orphan");

    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(condition("orphan", "Ready").orElseThrow().getReason())
                    .isEqualTo("RoutingPolicyNotFound"));
    assertThat(get("orphan").getStatus().getActiveTarget()).isEqualTo("bedrock-use1");
    assertThat(user.routeTable("orphan").active()).isEqualTo("bedrock-use1");
    assertThat(user.kubectl("get", "mep", "orphan"))
        .containsPattern(
            "orphan\\s+gpt-oss-120b\\s+bedrock-use1\\s+False\\s+RoutingPolicyNotFound");
  }

  @Test
  void aDirectEndpointsSecretIsRewrittenOnFailoverAndEveryRequestIsAnswered() throws Exception {
    user.apply(POLICY.formatted("direct", "Unhealthy, Throttled, NotReady", ""));
    user.apply(
        ENDPOINT.formatted(
            "direct",
            "direct",
            "openai.gpt-oss-120b-1:0",
            "acct-direct",
            "  endpoint: {mode: Direct}"));
    awaitActive("direct", "bedrock-use1", Duration.ofSeconds(90));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .until(() -> get("direct").getStatus().getTargetsReady().equals("2/2"));
    String bedrockUrl = user.endpointSecret("direct").get("OPENAI_BASE_URL");

    user.clouds.faults().add(Fault.outage(Service.BEDROCK_RUNTIME, "*"));
    awaitActive("direct", "azure-eastus2", Duration.ofSeconds(10));

    var env = user.endpointSecret("direct");
    assertThat(env.get("OPENAI_BASE_URL"))
        .isNotEqualTo(bedrockUrl)
        .endsWith("/acct-direct/openai/v1");
    assertThat(env.get("OPENAI_MODEL")).isEqualTo("routing-e2e_direct_azure-eastus2");
    assertThat(user.chat(env)).as("the rewritten Secret answers at once").isEqualTo(200);
  }
}
