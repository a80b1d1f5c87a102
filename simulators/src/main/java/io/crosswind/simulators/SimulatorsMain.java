package io.crosswind.simulators;

import io.crosswind.simulators.core.ManagementLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts the simulators outside a test, for the demo and the benchmarks: prints the endpoints, the
 * CA file to trust and the test credentials, then serves until interrupted.
 */
@Command(
    name = "crosswind-simulators",
    mixinStandardHelpOptions = true,
    description = "Local Azure and AWS stand-ins for Crosswind's demo, tests and benchmarks.")
public final class SimulatorsMain implements Callable<Integer> {

  @Option(names = "--admin-port", description = "Port of the admin API on 127.0.0.1; 0 picks one.")
  int adminPort = 0;

  @Option(
      names = "--ca-file",
      description = "Where to write the test CA (PEM) that clients must trust.")
  Path caFile = Path.of(System.getProperty("java.io.tmpdir"), "crosswind-simulators-ca.pem");

  @Option(
      names = "--resource-group",
      description = "An Azure resource group to create at start; repeat for more.")
  List<String> resourceGroups = List.of();

  @Option(
      names = "--operation-time",
      description = "How long long-running cloud operations take, in seconds.")
  double operationSeconds = 1;

  @Option(
      names = "--management-limits",
      description =
          "The clouds' published management limits to enforce (ARM's buckets, Bedrock's and STS's"
              + " request rates): 1 as published, a smaller number to scale them down, 0 for"
              + " none. Default: ${DEFAULT-VALUE}.")
  double managementLimits = 1;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SimulatorsMain()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    long started = System.nanoTime();
    Simulators sim =
        Simulators.start(
            Simulators.Options.defaults()
                .withResourceGroups(Set.copyOf(resourceGroups))
                .withOperationTime(Duration.ofMillis((long) (operationSeconds * 1000)))
                .withLimits(ManagementLimits.scaled(managementLimits)));
    sim.certificates().writeCaPem(caFile);
    int admin = sim.startAdminApi(adminPort, caFile);
    long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sim.close();
                  stopped.countDown();
                },
                "simulators-stop"));
    System.out.println("Crosswind simulators started in " + millis + " ms.");
    System.out.println("Admin API: http://127.0.0.1:" + admin + "/admin/endpoints");
    System.out.println(sim.describe(caFile).encodePrettily());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
