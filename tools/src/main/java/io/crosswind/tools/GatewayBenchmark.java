package io.crosswind.tools;

import io.crosswind.gateway.Routes;
import io.crosswind.gateway.RunningGateway;
import io.crosswind.gateway.TestClouds;
import io.crosswind.simulators.Simulators;
import io.crosswind.wire.RouteTable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The latency the gateway adds, side by side in one run: the same chat completion to the simulated
 * Azure OpenAI directly (HTTPS, api-key) and through the gateway (HTTP in, HTTPS out), sequential
 * over kept-alive connections (p50, p90, p99), then the throughput of 16 concurrent clients each
 * way. Simulators, gateway and client share this JVM and the machine's 2 cores.
 *
 * <p>{@code ./mvnw -q -pl tools exec:java@gateway-benchmark} (docs/benchmarks.md).
 */
public final class GatewayBenchmark {

  static final int WARM_UP = 1_000;
  static final int TIMED = 3_000;
  static final int CLIENTS = 16;
  static final Duration LOAD = Duration.ofSeconds(5);

  private GatewayBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("gateway-benchmark");
    // Direct calls go to simulated clouds of their own: with one deployment (and one subscription's
    // quota) for both, the direct load would spend the tokens-per-minute budget the gateway's load
    // phase then meets as 429s.
    try (Simulators sim =
            Simulators.start(Simulators.Options.defaults().withOperationTime(Duration.ZERO));
        Simulators directSim =
            Simulators.start(Simulators.Options.defaults().withOperationTime(Duration.ZERO))) {
      TestClouds.AzureDeployment azure = TestClouds.azure(sim, "rg-bench", "bench");
      TestClouds.AzureDeployment directDeployment =
          TestClouds.azure(directSim, "rg-bench", "bench");
      try (RunningGateway gw = RunningGateway.start(sim, dir)) {
        gw.routes(
            "bench.json",
            Routes.table(
                "bench",
                "chat",
                "gpt-4o",
                RouteTable.Strategy.Failover,
                "azure",
                "cw-bench",
                Routes.azure("azure", azure, 1, 100)));
        while (gw.gateway.endpoints().size() < 1) {
          Thread.sleep(20);
        }
        String body =
            new JsonObject()
                .put("model", "gpt-4o")
                .put("max_tokens", 16)
                .put(
                    "messages",
                    new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))
                .encode();
        HttpRequest direct =
            HttpRequest.newBuilder(URI.create(directDeployment.url() + "/chat/completions"))
                .header("api-key", directDeployment.key())
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new JsonObject(body).put("model", directDeployment.deployment()).encode()))
                .build();
        HttpRequest through =
            HttpRequest.newBuilder(URI.create(gw.url("/v1/chat/completions")))
                .header("Authorization", "Bearer cw-bench")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpClient directClient = TestClouds.https(directSim);
        HttpClient gatewayClient = gw.http;

        sequential(directClient, direct, WARM_UP);
        sequential(gatewayClient, through, WARM_UP);
        long[] directNanos = sequential(directClient, direct, TIMED);
        long[] gatewayNanos = sequential(gatewayClient, through, TIMED);
        System.out.printf(
            "sequential, %d requests each after %d warm-up (microseconds):%n", TIMED, WARM_UP);
        System.out.printf("  direct   %s%n", percentiles(directNanos));
        System.out.printf("  gateway  %s%n", percentiles(gatewayNanos));
        System.out.printf(
            "  added    p50 %d, p90 %d, p99 %d%n",
            (at(gatewayNanos, 0.50) - at(directNanos, 0.50)) / 1000,
            (at(gatewayNanos, 0.90) - at(directNanos, 0.90)) / 1000,
            (at(gatewayNanos, 0.99) - at(directNanos, 0.99)) / 1000);
        System.out.printf("throughput, %d clients for %s:%n", CLIENTS, LOAD);
        System.out.printf("  direct   %s%n", load(directClient, direct));
        System.out.printf("  gateway  %s%n", load(gatewayClient, through));
        Runtime rt = Runtime.getRuntime();
        System.gc();
        System.out.printf(
            "heap in use after the run (whole JVM: simulators, gateway, client): %d MiB%n",
            (rt.totalMemory() - rt.freeMemory()) >> 20);
      }
    }
  }

  static long[] sequential(HttpClient client, HttpRequest request, int n) throws Exception {
    long[] nanos = new long[n];
    for (int i = 0; i < n; i++) {
      long started = System.nanoTime();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      nanos[i] = System.nanoTime() - started;
      if (response.statusCode() != 200) {
        throw new IllegalStateException(response.statusCode() + " " + response.body());
      }
    }
    Arrays.sort(nanos);
    return nanos;
  }

  static String load(HttpClient client, HttpRequest request) throws Exception {
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long end = System.nanoTime() + LOAD.toNanos();
    List<Future<long[]>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
      for (int c = 0; c < CLIENTS; c++) {
        results.add(
            pool.submit(
                () -> {
                  List<Long> latencies = new ArrayList<>();
                  while (System.nanoTime() < end) {
                    long started = System.nanoTime();
                    HttpResponse<Void> r =
                        client.send(request, HttpResponse.BodyHandlers.discarding());
                    latencies.add(System.nanoTime() - started);
                    (r.statusCode() == 200 ? ok : failed).incrementAndGet();
                  }
                  return latencies.stream().mapToLong(Long::longValue).toArray();
                }));
      }
      List<Long> all = new ArrayList<>();
      for (Future<long[]> f : results) {
        for (long l : f.get()) {
          all.add(l);
        }
      }
      long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
      return String.format(
          "%.0f requests/s, %d failed, latency %s",
          ok.get() / (double) LOAD.toSeconds(), failed.get(), percentiles(sorted));
    }
  }

  static long at(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  static String percentiles(long[] sorted) {
    return String.format(
        "p50 %d, p90 %d, p99 %d",
        at(sorted, 0.5) / 1000, at(sorted, 0.9) / 1000, at(sorted, 0.99) / 1000);
  }
}
