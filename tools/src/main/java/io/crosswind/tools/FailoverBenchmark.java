package io.crosswind.tools;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.e2e.ControlPlane;
import io.crosswind.e2e.Resources;
import io.crosswind.e2e.SimulatedClouds;
import io.crosswind.operator.CrosswindOperator;
import io.crosswind.operator.OperatorConfig;
import io.crosswind.operator.publish.PublishedTables;
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
import java.util.function.BooleanSupplier;

/**
 * Failover time, measured: a real kube-apiserver, the operator, the cloud simulators and one
 * endpoint (Bedrock first, Azure second, probes every second, two failures to fail over). Each run
 * injects a Bedrock runtime outage and measures until both the route table and the endpoint Secret
 * name Azure; then it clears the outage and waits for the failback. Prints every run, the median
 * and the maximum. Run with {@code ./mvnw -pl tools exec:exec@failover-benchmark}.
 */
public final class FailoverBenchmark {

  static final String NS = "bench";
  static final String OPERATOR_NS = "crosswind-bench";

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path root = ControlPlane.repositoryRoot();
    try (Simulators clouds = SimulatedClouds.start(Set.of("rg-bench"));
        ControlPlane cluster = ControlPlane.start(root, ControlPlane.cacheDir());
        KubernetesClient client = cluster.adminClient()) {
      SimulatedClouds.operatorIdentity(clouds);
      Resources.installCrds(client);
      Resources.namespace(client, OPERATOR_NS);
      Resources.namespace(client, NS);
      Resources.grantForTests(client, NS, Set.of("rg-bench"), SimulatedClouds.bedrockRole(clouds));
      Path ca = clouds.certificates().writeCaPem(Files.createTempFile("crosswind-bench", ".pem"));
      List<String> flags =
          new ArrayList<>(
              List.of(
                  "--operator-namespace=" + OPERATOR_NS,
                  "--watch-namespaces=" + NS,
                  "--no-leader-election",
                  "--ops-address=127.0.0.1",
                  "--ops-port=0"));
      flags.addAll(SimulatedClouds.operatorFlags(clouds, ca));
      try (CrosswindOperator operator =
          CrosswindOperator.start(
              OperatorConfig.parse(flags.toArray(String[]::new)), cluster.adminClient())) {
        cluster.apply(
            NS,
            """
            apiVersion: crosswind.io/v1alpha1
            kind: RoutingPolicy
            metadata: {name: bench}
            spec:
              targets: [{provider: Bedrock, priority: 1}, {provider: AzureOpenAI, priority: 2}]
              failover:
                probe: {interval: 1s, timeout: 800ms, failureThreshold: 2, successThreshold: 1}
                stabilizationWindow: 2s
            ---
            apiVersion: crosswind.io/v1alpha1
            kind: ModelEndpoint
            metadata: {name: bench}
            spec:
              model: gpt-oss-120b
              routingPolicyRef: {name: bench}
              targets:
                - name: bedrock
                  bedrock: {region: us-east-1, modelId: openai.gpt-oss-120b-1:0}
                - name: azure
                  azure:
                    resourceGroup: rg-bench
                    account: {name: acct-bench, create: {location: eastus2}}
                    deployment:
                      model: {name: gpt-4o}
                      sku: {name: GlobalStandard, capacity: 5}
            """);
        waitFor(
            () -> ready(client) && "bedrock".equals(active(client)),
            Duration.ofSeconds(120),
            "the endpoint to serve through Bedrock with both targets ready");
        List<Long> millis = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
          long start = System.nanoTime();
          clouds.faults().add(Fault.outage(Service.BEDROCK_RUNTIME, "*"));
          waitFor(
              () -> "azure".equals(active(client)) && "azure".equals(published(client)),
              Duration.ofSeconds(60),
              "the failover");
          long took = (System.nanoTime() - start) / 1_000_000;
          millis.add(took);
          System.out.printf(
              "run %d: outage -> route table and Secret on azure in %d ms%n", run, took);
          clouds.faults().clear();
          waitFor(
              () -> "bedrock".equals(active(client)) && "bedrock".equals(published(client)),
              Duration.ofSeconds(60),
              "the failback");
        }
        List<Long> sorted = millis.stream().sorted().toList();
        long median =
            sorted.size() % 2 == 1
                ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        System.out.printf(
            "failover over %d runs: median %d ms, max %d ms, min %d ms%n",
            runs, median, sorted.get(sorted.size() - 1), sorted.get(0));
      }
    }
    System.exit(0);
  }

  static boolean ready(KubernetesClient client) {
    ModelEndpoint e = client.resources(ModelEndpoint.class).inNamespace(NS).withName("bench").get();
    return e != null && e.getStatus() != null && "2/2".equals(e.getStatus().getTargetsReady());
  }

  static String active(KubernetesClient client) {
    Secret table =
        client.secrets().inNamespace(OPERATOR_NS).withName("crosswind-routes-bench.bench").get();
    return PublishedTables.read(Optional.ofNullable(table)).active();
  }

  static String published(KubernetesClient client) {
    Secret s = client.secrets().inNamespace(NS).withName("bench-endpoint").get();
    return s == null || s.getData() == null
        ? null
        : new String(
            Base64.getDecoder().decode(s.getData().get("CROSSWIND_TARGET")),
            StandardCharsets.UTF_8);
  }

  static void waitFor(BooleanSupplier condition, Duration within, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
