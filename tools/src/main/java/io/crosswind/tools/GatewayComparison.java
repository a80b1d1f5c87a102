package io.crosswind.tools;

import io.crosswind.gateway.Routes;
import io.crosswind.gateway.TestClouds;
import io.crosswind.wire.RouteTable;
import io.crosswind.wire.RouteTables;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The two halves of {@code gateway/bench/compare.sh} (docs/benchmarks.md), against simulators, a
 * Crosswind gateway, a LiteLLM proxy and a Portkey gateway that run in their own processes:
 *
 * <ul>
 *   <li>{@code setup ADMIN_URL DIR}: through the simulators' public APIs, an Azure OpenAI account
 *       and gpt-4o deployment and a Bedrock API key; writes the gateway's route table ({@code
 *       DIR/routes/bench.json}: Bedrock gpt-oss first, Azure second), LiteLLM's config for the same
 *       two upstreams with a fallback ({@code DIR/litellm.yaml}), Portkey's routing config for them
 *       ({@code DIR/portkey.json}) and {@code DIR/setup.json};
 *   <li>{@code run DIR ADMIN_URL name=URL@PID...}: the same non-streamed chat completion, direct to
 *       the simulated Bedrock runtime and through each proxy: sequential latency, throughput at a
 *       fixed concurrency and request count, resident memory of each proxy's processes; then for
 *       each proxy the same load while the Bedrock runtime is cut (503s, then refused connections),
 *       counting what the client saw.
 * </ul>
 */
public final class GatewayComparison {

  static final String MODEL = "gpt-4o";
  static final String GATEWAY_KEY = "cw-bench";
  static final String LITELLM_KEY = "sk-cw-bench";
  static final int WARM_UP = Integer.getInteger("bench.warmUp", 10_000);
  static final int WARM_UP_SECONDS = Integer.getInteger("bench.warmUpSeconds", 15);
  static final int SEQUENTIAL = Integer.getInteger("bench.sequential", 1_000);
  static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 16);
  static final int REQUESTS = Integer.getInteger("bench.requests", 4_000);
  static final int OUTAGE_REQUESTS = Integer.getInteger("bench.outageRequests", 2_000);

  private GatewayComparison() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "setup" -> setup(URI.create(args[1]), Path.of(args[2]));
      case "run" ->
          run(Path.of(args[1]), URI.create(args[2]), Arrays.copyOfRange(args, 3, args.length));
      case "wrk" -> wrk(Path.of(args[1]), Arrays.copyOfRange(args, 2, args.length));
      case "soak" ->
          soak(
              Path.of(args[1]),
              URI.create(args[2]),
              args[3],
              Duration.ofMinutes(Long.parseLong(args[4])));
      default -> throw new IllegalArgumentException("setup, run, wrk or soak");
    }
  }

  // ---- setup ---------------------------------------------------------------------------------

  static void setup(URI admin, Path dir) throws Exception {
    JsonObject simulators = new JsonObject(get(HttpClient.newHttpClient(), admin + "/endpoints"));
    Path ca = Path.of(simulators.getString("caFile"));
    HttpClient https = https(ca);
    TestClouds.AzureDeployment azure = TestClouds.azure(https, simulators, "rg-bench", "bench");
    String key = TestClouds.bedrockKey(simulators);
    String runtime =
        simulators.getJsonObject("services").getString("bedrock-runtime") + "/" + TestClouds.REGION;
    // The default runtime quota (1,000 requests a minute) would throttle the benchmark.
    post(
        HttpClient.newHttpClient(),
        admin + "/bedrock/runtime-quotas",
        new JsonObject()
            .put("region", TestClouds.REGION)
            .put("model", TestClouds.GPT_OSS)
            .put("requestsPerMinute", 1_000_000_000)
            .put("tokensPerMinute", 1_000_000_000));

    Files.createDirectories(dir.resolve("routes"));
    Files.writeString(
        dir.resolve("routes/bench.json"),
        RouteTables.write(
            Routes.table(
                "bench",
                "chat",
                MODEL,
                RouteTable.Strategy.Failover,
                "bedrock",
                GATEWAY_KEY,
                Routes.bedrock("bedrock", runtime, TestClouds.GPT_OSS, key, 1, 100),
                Routes.azure("azure", azure, 2, 100))));
    // YAML is a superset of JSON: LiteLLM's config, written as JSON, needs no YAML quoting.
    JsonObject litellm =
        new JsonObject()
            .put(
                "model_list",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("model_name", MODEL)
                            .put(
                                "litellm_params",
                                new JsonObject()
                                    .put("model", "openai/" + TestClouds.GPT_OSS)
                                    .put("api_base", runtime + "/openai/v1")
                                    .put("api_key", key)))
                    .add(
                        new JsonObject()
                            .put("model_name", MODEL + "-azure")
                            .put(
                                "litellm_params",
                                new JsonObject()
                                    .put("model", "azure/" + azure.deployment())
                                    .put(
                                        "api_base",
                                        azure.url().substring(0, azure.url().indexOf("/openai/")))
                                    .put("api_key", azure.key())
                                    .put("api_version", "2024-10-21"))
                            .put("model_info", new JsonObject().put("base_model", "azure/gpt-4o"))))
            .put(
                "router_settings",
                new JsonObject()
                    .put(
                        "fallbacks",
                        new JsonArray()
                            .add(
                                new JsonObject().put(MODEL, new JsonArray().add(MODEL + "-azure"))))
                    .put("num_retries", 0))
            .put("litellm_settings", new JsonObject().put("num_retries", 0))
            .put("general_settings", new JsonObject().put("master_key", LITELLM_KEY));
    Files.writeString(dir.resolve("litellm.yaml"), litellm.encodePrettily());
    // Portkey's open-source gateway reads its routing from each request's x-portkey-config header:
    // the same two upstreams, Bedrock first, in its fallback mode (any answer but a 2xx, or no
    // answer, moves on to the next target), no retries.
    JsonObject portkey =
        new JsonObject()
            .put("strategy", new JsonObject().put("mode", "fallback"))
            .put(
                "targets",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("provider", "openai")
                            .put("custom_host", runtime + "/openai/v1")
                            .put("api_key", key)
                            .put(
                                "override_params",
                                new JsonObject().put("model", TestClouds.GPT_OSS)))
                    .add(
                        new JsonObject()
                            .put("provider", "azure-openai")
                            .put(
                                "custom_host",
                                azure.url().substring(0, azure.url().indexOf("/openai/"))
                                    + "/openai")
                            .put("resource_name", azure.account())
                            .put("deployment_id", azure.deployment())
                            .put("api_version", "2024-10-21")
                            .put("api_key", azure.key())));
    Files.writeString(dir.resolve("portkey.json"), portkey.encode());
    Files.writeString(
        dir.resolve("setup.json"),
        new JsonObject()
            .put("caFile", ca.toString())
            .put("bedrockUrl", runtime + "/openai/v1")
            .put("bedrockKey", key)
            .put("bedrockModel", TestClouds.GPT_OSS)
            .encodePrettily());
    System.out.println("Azure deployment " + azure.deployment() + " at " + azure.url());
  }

  // ---- run -----------------------------------------------------------------------------------

  /** Where a request goes: a URL, its credential, the model it names, and the process to weigh. */
  record Target(
      String name,
      String url,
      String key,
      String model,
      HttpClient http,
      long pid,
      Map<String, String> headers) {

    Target(String name, String url, String key, String model, HttpClient http, long pid) {
      this(name, url, key, model, http, pid, Map.of());
    }

    HttpRequest request() {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/chat/completions"));
      headers.forEach(request::header);
      return request
          .header("Authorization", "Bearer " + key)
          .header("Content-Type", "application/json")
          .timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString(body()))
          .build();
    }

    String body() {
      return TestClouds.chat(model, "hi").put("max_tokens", 16).encode();
    }
  }

  /** What a batch of requests saw. */
  record Outcome(long[] sortedNanos, double seconds, Map<String, Integer> answers) {

    long at(double q) {
      return sortedNanos[
          Math.min(sortedNanos.length - 1, (int) Math.ceil(q * sortedNanos.length) - 1)];
    }

    int count(String what) {
      return answers.getOrDefault(what, 0);
    }
  }

  /** Direct to the simulated Bedrock runtime first, then each proxy given as NAME=URL@PID. */
  static List<Target> targets(Path dir, String[] proxies) throws Exception {
    JsonObject setup = new JsonObject(Files.readString(dir.resolve("setup.json")));
    List<Target> targets = new ArrayList<>();
    targets.add(
        new Target(
            "direct",
            setup.getString("bedrockUrl"),
            setup.getString("bedrockKey"),
            setup.getString("bedrockModel"),
            https(Path.of(setup.getString("caFile"))),
            -1));
    for (String proxy : proxies) {
      String name = proxy.substring(0, proxy.indexOf('='));
      String rest = proxy.substring(proxy.indexOf('=') + 1);
      String url = rest.substring(0, rest.lastIndexOf('@'));
      long pid = Long.parseLong(rest.substring(rest.lastIndexOf('@') + 1));
      String key = name.startsWith("crosswind") ? GATEWAY_KEY : LITELLM_KEY;
      Map<String, String> headers =
          name.startsWith("portkey")
              ? Map.of("x-portkey-config", Files.readString(dir.resolve("portkey.json")))
              : Map.of();
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      targets.add(new Target(name, url + "/v1", key, MODEL, http, pid, headers));
    }
    return targets;
  }

  static void run(Path dir, URI admin, String[] proxies) throws Exception {
    List<Target> targets = targets(dir, proxies);
    System.out.printf(
        "Warm-up: %d requests or %d s at concurrency %d to each target, whichever ends first; then"
            + " %d sequential requests to each; then %d at concurrency %d to each%n",
        WARM_UP, WARM_UP_SECONDS, CONCURRENCY, SEQUENTIAL, REQUESTS, CONCURRENCY);
    Map<String, ProcessStats> idle = new TreeMap<>();
    Map<String, ProcessStats> before = new TreeMap<>();
    Map<String, ProcessStats> after = new TreeMap<>();
    for (Target t : proxiesOf(targets)) {
      idle.put(t.name, ProcessStats.of(t.pid));
    }
    Thread.sleep(5_000);
    Map<String, ProcessStats> idleEnd = new TreeMap<>();
    for (Target t : proxiesOf(targets)) {
      idleEnd.put(t.name, ProcessStats.of(t.pid));
    }
    for (Target t : targets) {
      long end = System.nanoTime() + Duration.ofSeconds(WARM_UP_SECONDS).toNanos();
      for (int sent = 0; sent < WARM_UP && System.nanoTime() < end; sent += 500) {
        load(t, 500, CONCURRENCY, null);
      }
    }
    Map<String, Outcome> sequential = new TreeMap<>();
    for (Target t : targets) {
      sequential.put(t.name, load(t, SEQUENTIAL, 1, null));
    }
    Map<String, Outcome> loaded = new TreeMap<>();
    for (Target t : targets) {
      if (t.pid >= 0) {
        before.put(t.name, ProcessStats.of(t.pid));
      }
      loaded.put(t.name, load(t, REQUESTS, CONCURRENCY, null));
      if (t.pid >= 0) {
        after.put(t.name, ProcessStats.of(t.pid));
      }
    }
    Outcome direct = sequential.get("direct");
    Outcome directLoad = loaded.get("direct");
    System.out.println();
    System.out.println(
        "| target | sequential p50 / p99 (ms) | added p50 / p99 (ms) | "
            + CONCURRENCY
            + " concurrent: requests/s | p50 / p99 (ms) | added p50 / p99 (ms) | failed |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Target t : targets) {
      Outcome seq = sequential.get(t.name);
      Outcome l = loaded.get(t.name);
      boolean proxy = t.pid >= 0;
      System.out.printf(
          "| %s | %s / %s | %s | %.0f | %s / %s | %s | %d |%n",
          t.name,
          ms(seq.at(0.5)),
          ms(seq.at(0.99)),
          proxy
              ? ms(seq.at(0.5) - direct.at(0.5)) + " / " + ms(seq.at(0.99) - direct.at(0.99))
              : "-",
          l.sortedNanos.length / l.seconds,
          ms(l.at(0.5)),
          ms(l.at(0.99)),
          proxy
              ? ms(l.at(0.5) - directLoad.at(0.5)) + " / " + ms(l.at(0.99) - directLoad.at(0.99))
              : "-",
          l.sortedNanos.length - l.count("200 bedrock"));
    }
    System.out.println();
    System.out.println(
        "| proxy | processes | RSS idle (MiB) | RSS after its load (MiB) | peak RSS (MiB) | CPU"
            + " idle (% of a core) | CPU per request under load (ms) |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Target t : proxiesOf(targets)) {
      ProcessStats i = idle.get(t.name);
      ProcessStats end = after.get(t.name);
      System.out.printf(
          "| %s | %d | %d | %d | %d | %.1f | %.2f |%n",
          t.name,
          end.processes(),
          i.rssKib() >> 10,
          end.rssKib() >> 10,
          end.peakRssKib() >> 10,
          (idleEnd.get(t.name).cpuMillis() - i.cpuMillis()) / 50.0,
          (end.cpuMillis() - before.get(t.name).cpuMillis()) / (double) REQUESTS);
    }

    System.out.println();
    System.out.printf(
        "Outages: %d requests at concurrency %d; the Bedrock runtime is cut after the first"
            + " quarter and stays cut%n",
        OUTAGE_REQUESTS, CONCURRENCY);
    System.out.println(
        "| proxy | cut | served by Bedrock | served by Azure | client-visible errors | p50 / p99"
            + " (ms) | back on Bedrock after the cut ends |");
    System.out.println("|---|---|---|---|---|---|---|");
    HttpClient plain = HttpClient.newHttpClient();
    for (String cut : List.of("503", "refused")) {
      for (Target t : proxiesOf(targets)) {
        awaitBedrock(t, Duration.ofSeconds(90));
        Runnable start =
            cut.equals("503")
                ? () ->
                    post(
                        plain,
                        admin + "/faults",
                        new JsonObject()
                            .put("service", "bedrock-runtime")
                            .put("scope", "*")
                            .put("kind", "OUTAGE_503"))
                : () -> post(plain, admin + "/services/bedrock-runtime/refuse", null);
        Outcome o = load(t, OUTAGE_REQUESTS, CONCURRENCY, start);
        send(plain, HttpRequest.newBuilder(URI.create(admin + "/faults")).DELETE().build());
        post(plain, admin + "/services/bedrock-runtime/restore", null);
        long restored = System.nanoTime();
        String back =
            awaitBedrock(t, Duration.ofSeconds(90))
                ? String.format("%.1f s", (System.nanoTime() - restored) / 1e9)
                : "not within 90 s";
        int errors = o.sortedNanos.length - o.count("200 bedrock") - o.count("200 azure");
        TreeMap<String, Integer> kinds = new TreeMap<>(o.answers);
        kinds.remove("200 bedrock");
        kinds.remove("200 azure");
        System.out.printf(
            "| %s | %s | %d | %d | %d%s | %s / %s | %s |%n",
            t.name,
            cut,
            o.count("200 bedrock"),
            o.count("200 azure"),
            errors,
            kinds.isEmpty() ? "" : " " + kinds,
            ms(o.at(0.5)),
            ms(o.at(0.99)),
            back);
      }
    }
  }

  static final int WRK_SECONDS = Integer.getInteger("bench.wrkSeconds", 15);

  /**
   * The same request with {@code wrk} (a C load generator that needs a fraction of the JDK client's
   * CPU, so more of the two cores is left to the process measured), direct and through each proxy:
   * a warm-up of {@link #WRK_SECONDS} at {@link #CONCURRENCY} connections, then as long on one
   * connection (sequential latency) and at {@link #CONCURRENCY} connections (throughput, and the
   * proxy's CPU per request from /proc). A Lua script counts every answer that is not a 200 from
   * Bedrock.
   */
  static void wrk(Path dir, String[] proxies) throws Exception {
    List<Target> targets = targets(dir, proxies);
    Map<String, long[]> sequential = new TreeMap<>();
    Map<String, long[]> loaded = new TreeMap<>();
    Map<String, Double> cpu = new TreeMap<>();
    for (Target t : targets) {
      Path script = dir.resolve("wrk-" + t.name + ".lua");
      StringBuilder lua = new StringBuilder();
      lua.append("wrk.method = \"POST\"\n");
      lua.append("wrk.body = ").append(luaString(t.body())).append("\n");
      Map<String, String> headers = new TreeMap<>(t.headers);
      headers.put("Authorization", "Bearer " + t.key);
      headers.put("Content-Type", "application/json");
      headers.forEach(
          (k, v) ->
              lua.append("wrk.headers[")
                  .append(luaString(k))
                  .append("] = ")
                  .append(luaString(v))
                  .append("\n"));
      lua.append(
          """
          local threads = {}
          function setup(thread) table.insert(threads, thread) end
          function init(args) others = 0 end
          function response(status, headers, body)
            if status ~= 200 or string.find(body, "azure-openai/", 1, true) then
              others = others + 1
            end
          end
          function done(summary, latency, requests)
            local others = 0
            for _, t in ipairs(threads) do others = others + t:get("others") end
            io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests,
              summary.duration, latency:percentile(50), latency:percentile(99), others))
          end
          """);
      Files.writeString(script, lua);
      wrkRun(t, script, CONCURRENCY);
      sequential.put(t.name, wrkRun(t, script, 1));
      ProcessStats before = t.pid >= 0 ? ProcessStats.of(t.pid) : null;
      long[] l = wrkRun(t, script, CONCURRENCY);
      loaded.put(t.name, l);
      if (before != null) {
        cpu.put(t.name, (ProcessStats.of(t.pid).cpuMillis() - before.cpuMillis()) / (double) l[0]);
      }
    }
    long[] direct = sequential.get("direct");
    long[] directLoad = loaded.get("direct");
    double directRate = directLoad[0] / (directLoad[1] / 1e6);
    System.out.printf(
        "wrk 1 thread, %d s each: warm-up at %d connections, then 1 connection, then %d%n",
        WRK_SECONDS, CONCURRENCY, CONCURRENCY);
    System.out.println();
    System.out.println(
        "| target | sequential p50 / p99 (ms) | added p50 / p99 (ms) | "
            + CONCURRENCY
            + " connections: requests/s | share of direct | p50 / p99 (ms) | not a 200 from"
            + " Bedrock | CPU per request (ms) |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (Target t : targets) {
      long[] seq = sequential.get(t.name);
      long[] l = loaded.get(t.name);
      double rate = l[0] / (l[1] / 1e6);
      boolean proxy = t.pid >= 0;
      System.out.printf(
          "| %s | %.2f / %.2f | %s | %.0f | %s | %.2f / %.2f | %d | %s |%n",
          t.name,
          seq[2] / 1e3,
          seq[3] / 1e3,
          proxy
              ? String.format("%.2f / %.2f", (seq[2] - direct[2]) / 1e3, (seq[3] - direct[3]) / 1e3)
              : "-",
          rate,
          proxy ? String.format("%.0f %%", 100 * rate / directRate) : "-",
          l[2] / 1e3,
          l[3] / 1e3,
          seq[4] + l[4],
          proxy ? String.format("%.3f", cpu.get(t.name)) : "-");
    }
    System.out.println();
    System.out.printf(
        "Against each peer at %d connections (requests/s): %s%n",
        CONCURRENCY,
        String.join(
            ", ",
            targets.stream()
                .filter(t -> t.pid >= 0 && !t.name.startsWith("crosswind"))
                .map(
                    t -> {
                      long[] c = loaded.get("crosswind");
                      long[] p = loaded.get(t.name);
                      return String.format(
                          "%.1fx %s", (c[0] / (c[1] / 1e6)) / (p[0] / (p[1] / 1e6)), t.name);
                    })
                .toList()));
  }

  /** Requests, duration (µs), p50 and p99 (µs), and answers that were not a 200 from Bedrock. */
  static long[] wrkRun(Target t, Path script, int connections) throws Exception {
    String out =
        run(
            List.of(
                "wrk",
                "-t1",
                "-c" + connections,
                "-d" + WRK_SECONDS + "s",
                "--timeout",
                "30s",
                "-s",
                script.toString(),
                t.url + "/chat/completions"));
    String result =
        out.lines()
            .filter(line -> line.startsWith("RESULT "))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("wrk printed no result:\n" + out));
    return Arrays.stream(result.substring(7).trim().split(" "))
        .mapToLong(Long::parseLong)
        .toArray();
  }

  static String luaString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * The gateway under steady load for {@code length}: {@link #CONCURRENCY} clients, each request
   * paced to {@code bench.soakRate} a second in all; the Bedrock runtime (the primary) refuses
   * connections for a minute in the middle. Every 30 s it samples the gateway's resident memory,
   * its heap after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}) and its open file
   * descriptors, and prints each figure's slope per hour over the samples after the first five
   * minutes, with the client-visible errors.
   */
  static void soak(Path dir, URI admin, String proxy, Duration length) throws Exception {
    String rest = proxy.substring(proxy.indexOf('=') + 1);
    String url = rest.substring(0, rest.lastIndexOf('@'));
    long pid = Long.parseLong(rest.substring(rest.lastIndexOf('@') + 1));
    Target t =
        new Target(
            "crosswind",
            url + "/v1",
            GATEWAY_KEY,
            MODEL,
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
            pid);
    int rate = Integer.getInteger("bench.soakRate", 500);
    long intervalNanos = 1_000_000_000L * CONCURRENCY / rate;
    Map<String, Integer> answers = new ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicBoolean running =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    HttpClient plain = HttpClient.newHttpClient();
    List<double[]> samples = new ArrayList<>();
    long started = System.nanoTime();
    System.out.printf(
        "Soak: %d clients, %d requests/s in all, for %d min; the Bedrock runtime refuses"
            + " connections from minute %d for 60 s%n",
        CONCURRENCY, rate, length.toMinutes(), length.toMinutes() / 2);
    try (ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY + 1)) {
      for (int c = 0; c < CONCURRENCY; c++) {
        pool.submit(
            () -> {
              HttpRequest request = t.request();
              long next = System.nanoTime();
              while (running.get()) {
                String answer;
                try {
                  HttpResponse<String> r =
                      t.http.send(request, HttpResponse.BodyHandlers.ofString());
                  answer =
                      r.statusCode() != 200
                          ? Integer.toString(r.statusCode())
                          : r.body().contains("azure-openai/") ? "200 azure" : "200 bedrock";
                } catch (IOException e) {
                  answer = e.getClass().getSimpleName();
                }
                answers.merge(answer, 1, Integer::sum);
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                  java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
              }
              return null;
            });
      }
      long cutAt = started + length.toNanos() / 2;
      boolean cut = false;
      boolean restored = false;
      while (System.nanoTime() - started < length.toNanos()) {
        Thread.sleep(30_000);
        double minutes = (System.nanoTime() - started) / 60e9;
        if (!cut && System.nanoTime() >= cutAt) {
          post(plain, admin + "/services/bedrock-runtime/refuse", null);
          cut = true;
        } else if (cut && !restored && System.nanoTime() >= cutAt + 60_000_000_000L) {
          post(plain, admin + "/services/bedrock-runtime/restore", null);
          restored = true;
        }
        run(List.of("jcmd", Long.toString(pid), "GC.run"));
        String heap = run(List.of("jcmd", Long.toString(pid), "GC.heap_info"));
        java.util.regex.Matcher used =
            java.util.regex.Pattern.compile("used (\\d+)K").matcher(heap);
        long heapKib = used.find() ? Long.parseLong(used.group(1)) : -1;
        long fds;
        try (Stream<Path> open = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
          fds = open.count();
        }
        ProcessStats stats = ProcessStats.of(pid);
        samples.add(new double[] {minutes, stats.rssKib() / 1024.0, heapKib / 1024.0, fds});
        System.out.printf(
            "%5.1f min: RSS %.0f MiB, heap after GC %.1f MiB, %d fds, answers %s%n",
            minutes, stats.rssKib() / 1024.0, heapKib / 1024.0, fds, new TreeMap<>(answers));
      }
      running.set(false);
    }
    List<double[]> steady = samples.stream().filter(x -> x[0] >= 5).toList();
    int total = answers.values().stream().mapToInt(Integer::intValue).sum();
    int errors =
        total - answers.getOrDefault("200 bedrock", 0) - answers.getOrDefault("200 azure", 0);
    System.out.println();
    System.out.println(
        "| minutes | requests | client-visible errors | RSS first / last (MiB) | RSS slope (MiB/h)"
            + " | heap after GC first / last (MiB) | heap slope (MiB/h) | fds first / last | fd"
            + " slope (/h) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    System.out.printf(
        "| %d | %,d | %d%s | %.0f / %.0f | %+.1f | %.1f / %.1f | %+.2f | %.0f / %.0f | %+.1f |%n",
        length.toMinutes(),
        total,
        errors,
        errors == 0 ? "" : " " + new TreeMap<>(answers),
        steady.get(0)[1],
        steady.get(steady.size() - 1)[1],
        slope(steady, 1) * 60,
        steady.get(0)[2],
        steady.get(steady.size() - 1)[2],
        slope(steady, 2) * 60,
        steady.get(0)[3],
        steady.get(steady.size() - 1)[3],
        slope(steady, 3) * 60);
  }

  /** The least-squares slope of column {@code y} over column 0, per minute. */
  static double slope(List<double[]> points, int y) {
    double n = points.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (double[] p : points) {
      sx += p[0];
      sy += p[y];
      sxx += p[0] * p[0];
      sxy += p[0] * p[y];
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
  }

  static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    process.waitFor();
    return out;
  }

  /**
   * Sends {@code n} requests from {@code concurrency} clients; {@code midway}, when given, runs
   * once a quarter of them have been answered.
   */
  static Outcome load(Target t, int n, int concurrency, Runnable midway) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    AtomicLongArray nanos = new AtomicLongArray(n);
    Map<String, Integer> answers = new ConcurrentHashMap<>();
    HttpRequest request = t.request();
    long started = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
      List<Future<?>> clients = new ArrayList<>();
      for (int c = 0; c < concurrency; c++) {
        clients.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    long sent = System.nanoTime();
                    String answer;
                    try {
                      HttpResponse<String> r =
                          t.http.send(request, HttpResponse.BodyHandlers.ofString());
                      answer =
                          r.statusCode()
                              + (r.statusCode() != 200
                                  ? ""
                                  : r.body().contains("azure-openai/") ? " azure" : " bedrock");
                    } catch (IOException e) {
                      answer = e.getClass().getSimpleName();
                    }
                    nanos.set(i, System.nanoTime() - sent);
                    answers.merge(answer, 1, Integer::sum);
                    if (answered.incrementAndGet() == n / 4 && midway != null) {
                      midway.run();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : clients) {
        f.get();
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long[] sorted = new long[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = nanos.get(i);
    }
    Arrays.sort(sorted);
    return new Outcome(sorted, seconds, answers);
  }

  /** Whether the proxy answers from Bedrock again, three times in a row, within the time. */
  static boolean awaitBedrock(Target t, Duration within) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    int inARow = 0;
    while (System.nanoTime() < end) {
      try {
        HttpResponse<String> r = t.http.send(t.request(), HttpResponse.BodyHandlers.ofString());
        inARow = r.statusCode() == 200 && !r.body().contains("azure-openai/") ? inARow + 1 : 0;
        if (inARow == 3) {
          return true;
        }
      } catch (IOException e) {
        inARow = 0;
      }
      Thread.sleep(100);
    }
    return false;
  }

  static List<Target> proxiesOf(List<Target> targets) {
    return targets.stream().filter(t -> t.pid >= 0).toList();
  }

  /** A process and its descendants: resident and peak resident memory, CPU time used. */
  record ProcessStats(long rssKib, long peakRssKib, long cpuMillis, int processes) {

    static ProcessStats of(long pid) throws IOException {
      long rss = 0;
      long peak = 0;
      long ticks = 0;
      List<Long> pids = new ArrayList<>(List.of(pid));
      for (int i = 0; i < pids.size(); i++) {
        try {
          Path proc = Path.of("/proc", Long.toString(pids.get(i)));
          for (String line : Files.readAllLines(proc.resolve("status"))) {
            if (line.startsWith("VmRSS:")) {
              rss += Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("VmHWM:")) {
              peak += Long.parseLong(line.replaceAll("\\D", ""));
            }
          }
          // utime and stime, in clock ticks (100 a second), after the command's closing parenthesis
          String[] stat =
              Files.readString(proc.resolve("stat")).replaceFirst(".*\\) ", "").split(" ");
          ticks += Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
          try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
            for (Path task : tasks.toList()) {
              for (String child : Files.readString(task.resolve("children")).trim().split("\\s+")) {
                if (!child.isEmpty()) {
                  pids.add(Long.parseLong(child));
                }
              }
            }
          }
        } catch (java.nio.file.NoSuchFileException gone) {
          // a short-lived child that ended meanwhile
        }
      }
      return new ProcessStats(rss, peak, ticks * 10, pids.size());
    }
  }

  static String ms(long nanos) {
    return String.format("%.2f", nanos / 1e6);
  }

  static HttpClient https(Path caPem) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    int i = 0;
    for (var cert :
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(caPem)))) {
      trust.setCertificateEntry("ca" + i++, cert);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder()
        .sslContext(tls)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  static String get(HttpClient http, String url) throws IOException, InterruptedException {
    return send(http, HttpRequest.newBuilder(URI.create(url)).build());
  }

  static void post(HttpClient http, String url, JsonObject body) {
    try {
      send(
          http,
          HttpRequest.newBuilder(URI.create(url))
              .header("Content-Type", "application/json")
              .POST(
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body.encode()))
              .build());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String send(HttpClient http, HttpRequest request)
      throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(request.uri() + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }
}
