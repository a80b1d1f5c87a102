package io.crosswind.tools;

import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.core.Service;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;

/**
 * Measures what docs/benchmarks.md reports for the simulators: how long the whole set takes to
 * start (and stop), and the round trip of a small request over a kept-alive HTTPS connection, which
 * is the overhead a test or benchmark pays per simulated cloud call.
 *
 * <p>Run: {@code ./mvnw -q -pl tools exec:java@simulator-benchmark}
 */
public final class SimulatorBenchmark {

  static final int STARTS = 7;
  static final int WARMUP = 500;
  static final int REQUESTS = 2000;

  private SimulatorBenchmark() {}

  public static void main(String[] args) throws Exception {
    long[] starts = new long[STARTS];
    for (int i = 0; i < STARTS; i++) {
      long t0 = System.nanoTime();
      Simulators sim = Simulators.start();
      starts[i] = System.nanoTime() - t0;
      sim.close();
    }
    System.out.printf(
        "startup of the whole set (%d runs, first one included): median %.0f ms, max %.0f ms%n",
        STARTS, millis(percentile(starts, 50)), millis(max(starts)));

    try (Simulators sim =
        Simulators.start(Simulators.Options.defaults().withResourceGroups(Set.of("rg")))) {
      HttpClient http =
          HttpClient.newBuilder().sslContext(sim.certificates().clientSslContext()).build();
      String models = sim.endpoint(Service.ARM) + "/subscriptions/none?api-version=2024-10-01";
      HttpRequest unauthenticated = HttpRequest.newBuilder(URI.create(models)).build();
      report("ARM request rejected at authentication (401)", http, unauthenticated);

      String chat =
          sim.endpoint(Service.AZURE_OPENAI) + "/no-such-account/openai/v1/chat/completions";
      HttpRequest chatRequest =
          HttpRequest.newBuilder(URI.create(chat))
              .header("api-key", "x")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      new JsonObject()
                          .put("model", "d")
                          .put(
                              "messages",
                              new JsonArray()
                                  .add(new JsonObject().put("role", "user").put("content", "hi")))
                          .encode()))
              .build();
      report("Azure OpenAI request to an unknown account (404)", http, chatRequest);
    }
  }

  private static void report(String what, HttpClient http, HttpRequest request) throws Exception {
    for (int i = 0; i < WARMUP; i++) {
      http.send(request, HttpResponse.BodyHandlers.discarding());
    }
    long[] samples = new long[REQUESTS];
    for (int i = 0; i < REQUESTS; i++) {
      long t0 = System.nanoTime();
      http.send(request, HttpResponse.BodyHandlers.ofString());
      samples[i] = System.nanoTime() - t0;
    }
    System.out.printf(
        "%s, %d sequential requests on one connection: median %.0f us, p90 %.0f us, p99 %.0f us%n",
        what,
        REQUESTS,
        micros(percentile(samples, 50)),
        micros(percentile(samples, 90)),
        micros(percentile(samples, 99)));
  }

  private static long percentile(long[] values, int p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static long max(long[] values) {
    return Arrays.stream(values).max().orElse(0);
  }

  private static double millis(long nanos) {
    return Duration.ofNanos(nanos).toNanos() / 1e6;
  }

  private static double micros(long nanos) {
    return nanos / 1e3;
  }
}
