package io.crosswind.tools;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.e2e.ControlPlane;
import io.crosswind.e2e.Resources;
import io.crosswind.e2e.SimulatedClouds;
import io.crosswind.gateway.CrosswindGateway;
import io.crosswind.gateway.GatewayConfig;
import io.crosswind.operator.CrosswindOperator;
import io.crosswind.operator.OperatorConfig;
import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;

/**
 * The local demo: a real control plane, the CRDs, the operator and the examples, left running for a
 * person to explore with kubectl until Ctrl-C. Run it with {@code e2e/demo.sh}.
 */
public final class LocalDemo {

  static final String OPERATOR_NS = "crosswind-system";
  static final String NS = "demo";

  private LocalDemo() {}

  public static void main(String[] args) throws Exception {
    Path root = ControlPlane.repositoryRoot();
    say(
        "Starting the cloud simulators (Azure Resource Manager, Entra ID, Azure OpenAI, Bedrock) ...");
    // The clouds as they are: their published management limits enforced.
    Simulators clouds =
        SimulatedClouds.start(
            SimulatedClouds.RESOURCE_GROUPS,
            io.crosswind.simulators.core.ManagementLimits.published());
    SimulatedClouds.operatorIdentity(clouds);
    SimulatedClouds.createExistingAccounts(clouds);
    Path caFile = clouds.certificates().writeCaPem(root.resolve("e2e/target/simulators-ca.pem"));
    int admin = clouds.startAdminApi(0, caFile);
    say("Starting etcd and kube-apiserver on 127.0.0.1 ...");
    ControlPlane cluster = ControlPlane.start(root, ControlPlane.cacheDir());
    CountDownLatch stopped = new CountDownLatch(1);
    CrosswindOperator[] operator = new CrosswindOperator[1];
    CrosswindGateway[] gateway = new CrosswindGateway[1];
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  say("Stopping the operator and the control plane ...");
                  if (gateway[0] != null) {
                    gateway[0].close();
                  }
                  if (operator[0] != null) {
                    operator[0].close();
                  }
                  cluster.close();
                  clouds.close();
                  say("Stopped.");
                  stopped.countDown();
                },
                "demo-stop"));

    try (KubernetesClient client = cluster.adminClient()) {
      say("Installing the CRDs from crds/ ...");
      Resources.installCrds(client);
      Resources.namespace(client, OPERATOR_NS);
      Resources.namespace(client, NS);
      say("Starting the operator ...");
      List<String> flags =
          new ArrayList<>(
              List.of(
                  "--operator-namespace=" + OPERATOR_NS,
                  "--identity=demo",
                  "--ops-port=0",
                  "--ops-address=127.0.0.1"));
      flags.addAll(SimulatedClouds.operatorFlags(clouds, caFile));
      operator[0] =
          CrosswindOperator.start(
              OperatorConfig.parse(flags.toArray(String[]::new)), cluster.adminClient());
      say("Starting the gateway (route tables from namespace " + OPERATOR_NS + ") ...");
      gateway[0] =
          CrosswindGateway.start(
              GatewayConfig.parse(
                  "--namespace=" + OPERATOR_NS,
                  "--address=127.0.0.1",
                  "--port=0",
                  "--ops-address=127.0.0.1",
                  "--ops-port=0",
                  "--upstream-ca-file=" + caFile),
              cluster.adminClient());
      say("Granting namespace " + NS + " what the examples use (examples/grant.yaml) ...");
      client.resource(Resources.exampleGrantFor(NS)).forceConflicts().serverSideApply();
      say("Applying examples/ to namespace " + NS + " ...");
      for (Path file : Resources.yamlFiles(root.resolve("examples"))) {
        System.out.print(cluster.kubectl("apply", "-n", NS, "-f", file.toString()));
      }
      say("Waiting for the endpoints' cloud resources (simulated) to be provisioned ...");
      try {
        Awaitility.await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () ->
                    client.resources(ModelEndpoint.class).inNamespace(NS).list().getItems().stream()
                        .allMatch(
                            e ->
                                e.getStatus() != null
                                    && e.getStatus().getTargets() != null
                                    && e.getStatus().getTargets().stream()
                                        .allMatch(
                                            t ->
                                                t.getState()
                                                    == io.crosswind.api.v1alpha1.TargetState
                                                        .Ready)));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        say("(some targets are not ready yet; their status says why)");
      }
    }

    show(
        cluster,
        "kubectl get mep,rpol -n " + NS + " -o wide",
        "get",
        "mep,rpol",
        "-n",
        NS,
        "-o",
        "wide");
    show(
        cluster,
        "conditions of fraud-reasoner",
        "get",
        "mep",
        "fraud-reasoner",
        "-n",
        NS,
        "-o",
        "jsonpath={range .status.conditions[*]}{.type}{\"\\t\"}{.status}{\"\\t\"}{.reason}{\"\\t\"}{.message}{\"\\n\"}{end}");
    show(cluster, "kubectl get events -n " + NS, "get", "events", "-n", NS);

    GatewayDemo requests = new GatewayDemo(cluster, gateway[0].port(), NS, "fraud-reasoner");
    say("");
    say("== a request to fraud-reasoner through the gateway, as an application sends it");
    say(requests.chat());
    say("== Bedrock's data plane goes down (a fault in the simulator); the next request:");
    clouds.faults().add(Fault.outage(Service.BEDROCK_RUNTIME, "*"));
    say(requests.chat());
    say("(served by Azure in the same request; the operator moves fraud-reasoner to Azure after");
    say(" three failed probes 30 s apart: watch it with kubectl get mep -n " + NS + " -w. End the");
    say(" outage with: curl -s -X DELETE http://127.0.0.1:" + admin + "/admin/faults)");

    say("");
    say("The control plane, the operator and the examples keep running. Explore with:");
    say("  export KUBECONFIG=" + cluster.kubeconfig());
    say("  kubectl get crosswind -n " + NS + " -o wide");
    say("  kubectl describe mep fraud-reasoner -n " + NS);
    say("  kubectl explain modelendpoint.spec.targets");
    say(
        "(kubectl "
            + cluster.version()
            + " is in the control-plane cache: "
            + kubectlPath(cluster)
            + ")");
    say("The cloud simulators answer at:");
    clouds
        .describe(caFile)
        .getJsonObject("services")
        .forEach(e -> say("  " + e.getKey() + "  " + e.getValue()));
    say("  admin API (calls, faults): http://127.0.0.1:" + admin + "/admin/endpoints");
    say("The gateway answers at http://127.0.0.1:" + gateway[0].port() + "/v1 (in a cluster, the");
    say("endpoint Service's name leads to it), for example:");
    say("  " + requests.curl());
    say("Press Ctrl-C to stop everything.");
    stopped.await();
  }

  static String kubectlPath(ControlPlane cluster) {
    return cluster.kubectlBinary().toString();
  }

  private static void show(ControlPlane cluster, String title, String... kubectlArgs) {
    say("");
    say("== " + title);
    System.out.print(cluster.kubectl(kubectlArgs));
    System.out.println();
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
