package io.crosswind.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.operator.CrosswindOperator;
import io.crosswind.operator.OperatorConfig;
import io.crosswind.operator.publish.RouteTable;
import io.crosswind.operator.publish.RouteTables;
import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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

  static final String NS = "routing-e2e";
  static final String OPERATOR_NS = "crosswind-routing-e2e";
  static ControlPlane cluster;
  static KubernetesClient client;
  static Simulators clouds;
  static CrosswindOperator operator;

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
      """;

  @BeforeAll
  static void start() throws Exception {
    cluster = RealCluster.get();
    client = cluster.adminClient();
    Resources.installCrds(client);
    Resources.namespace(client, OPERATOR_NS);
    Resources.namespace(client, NS);
    clouds = SimulatedClouds.start(Set.of("rg-routing"));
    SimulatedClouds.operatorIdentity(clouds);
    Path ca = clouds.certificates().writeCaPem(Files.createTempFile("crosswind-routing", ".pem"));
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--operator-namespace=" + OPERATOR_NS,
                "--watch-namespaces=" + NS,
                "--no-leader-election",
                "--cluster-id=routing",
                "--identity=routing-e2e",
                "--ops-address=127.0.0.1",
                "--ops-port=0"));
    flags.addAll(SimulatedClouds.operatorFlags(clouds, ca));
    operator =
        CrosswindOperator.start(
            OperatorConfig.parse(flags.toArray(String[]::new)), cluster.adminClient());
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (clouds != null) {
      clouds.close();
    }
    client.close();
  }

  @AfterEach
  void restoreClouds() {
    clouds.faults().clear();
  }

  /** A policy and an endpoint of their own, serving through Bedrock with Azure ready. */
  static void endpointWithPolicy(String name, String triggers, String extra) {
    cluster.apply(NS, POLICY.formatted(name, triggers, extra));
    cluster.apply(NS, ENDPOINT.formatted(name, name, "openai.gpt-oss-120b-1:0", "acct-" + name));
    awaitActive(name, "bedrock-use1", Duration.ofSeconds(90));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .until(() -> get(name).getStatus().getTargetsReady().equals("2/2"));
  }

  static ModelEndpoint get(String name) {
    return client.resources(ModelEndpoint.class).inNamespace(NS).withName(name).get();
  }

  static Optional<Condition> condition(String name, String type) {
    ModelEndpoint e = get(name);
    return e == null || e.getStatus() == null || e.getStatus().getConditions() == null
        ? Optional.empty()
        : e.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  static RouteTable routeTable(String name) {
    Secret s =
        client
            .secrets()
            .inNamespace(OPERATOR_NS)
            .withName("crosswind-routes-" + NS + "-" + name)
            .get();
    return RouteTables.read(Optional.ofNullable(s));
  }

  static String publishedTarget(String name) {
    Secret s = client.secrets().inNamespace(NS).withName(name + "-endpoint").get();
    return s == null
        ? null
        : new String(
            Base64.getDecoder().decode(s.getData().get("CROSSWIND_TARGET")),
            StandardCharsets.UTF_8);
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
              assertThat(routeTable(name).active()).isEqualTo(target);
              assertThat(publishedTarget(name)).isEqualTo(target);
            });
  }

  static String events(String name) {
    return cluster.kubectl(
        "get", "events", "-n", NS, "--field-selector", "involvedObject.name=" + name);
  }

  @Test
  void anOutageOfTheActiveTargetMovesTrafficAndItComesBackAfterTheWindow() {
    endpointWithPolicy("outage", "Unhealthy, Throttled, NotReady", "");

    clouds.faults().add(Fault.outage(Service.BEDROCK_RUNTIME, "*"));

    // Two failed probes at a 1 s interval, then one reconcile: well within 10 s.
    awaitActive("outage", "azure-eastus2", Duration.ofSeconds(10));
    assertThat(condition("outage", "Degraded").orElseThrow().getReason())
        .isEqualTo("ServingFromFallback");
    assertThat(condition("outage", "Ready").orElseThrow().getStatus()).isEqualTo("True");
    assertThat(events("outage")).contains("FailedOver").contains("failed probes of bedrock-use1");

    clouds.faults().clear();

    // Healthy again after two good probes, back once 6 s have passed since the switch.
    awaitActive("outage", "bedrock-use1", Duration.ofSeconds(20));
    assertThat(events("outage")).contains("FailedBack");
    assertThat(condition("outage", "Degraded").orElseThrow().getStatus()).isEqualTo("False");
  }

  @Test
  void throttlingMovesTrafficOnlyWhenThePolicyFailsOverOnIt() {
    endpointWithPolicy("throttle-moves", "Unhealthy, Throttled, NotReady", "");
    endpointWithPolicy("throttle-stays", "Unhealthy, NotReady", "");

    clouds.faults().add(Fault.throttle(Service.BEDROCK_RUNTIME, "*", 1.0, Duration.ofSeconds(1)));

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

    cluster.kubectl(
        "patch",
        "rpol",
        "pinned",
        "-n",
        NS,
        "--type=merge",
        "-p",
        "{\"spec\":{\"pin\":\"AzureOpenAI\"}}");
    awaitActive("pinned", "azure-eastus2", Duration.ofSeconds(10));
    assertThat(events("pinned")).contains("Pinned");
    assertThat(condition("pinned", "Ready").orElseThrow().getMessage()).contains("pinned");

    cluster.kubectl(
        "patch", "rpol", "pinned", "-n", NS, "--type=merge", "-p", "{\"spec\":{\"pin\":\"\"}}");
    awaitActive("pinned", "bedrock-use1", Duration.ofSeconds(20));
  }

  @Test
  void aRegionConstraintEditedIntoThePolicyTakesEffectAtOnce() {
    endpointWithPolicy("resident", "Unhealthy, Throttled, NotReady", "");

    cluster.kubectl(
        "patch",
        "rpol",
        "resident",
        "-n",
        NS,
        "--type=merge",
        "-p",
        "{\"spec\":{\"constraints\":{\"regions\":[\"eastus2\"]}}}");

    awaitActive("resident", "azure-eastus2", Duration.ofSeconds(10));
    assertThat(condition("resident", "Degraded").orElseThrow().getStatus()).isEqualTo("True");
  }

  @Test
  void aDeletedPolicyIsReportedAndTrafficKeepsToTheTargetsOrder() {
    endpointWithPolicy("orphan", "Unhealthy, Throttled, NotReady", "");

    cluster.kubectl("delete", "rpol", "orphan", "-n", NS);

    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(condition("orphan", "Ready").orElseThrow().getReason())
                    .isEqualTo("RoutingPolicyNotFound"));
    assertThat(get("orphan").getStatus().getActiveTarget()).isEqualTo("bedrock-use1");
    assertThat(routeTable("orphan").active()).isEqualTo("bedrock-use1");
    assertThat(cluster.kubectl("get", "mep", "orphan", "-n", NS))
        .containsPattern(
            "orphan\\s+gpt-oss-120b\\s+bedrock-use1\\s+False\\s+RoutingPolicyNotFound");
  }
}
