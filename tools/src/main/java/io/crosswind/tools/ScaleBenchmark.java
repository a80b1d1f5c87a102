package io.crosswind.tools;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.e2e.ControlPlane;
import io.crosswind.e2e.Resources;
import io.crosswind.e2e.SimulatedClouds;
import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.core.ManagementLimits;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator at scale (docs/benchmarks.md, "Operator at scale"): a real kube-apiserver and etcd,
 * the cloud simulators enforcing the clouds' published management limits, and the operator run from
 * its jar as a process of its own with a heap limit. It applies N ModelEndpoints of mixed shapes
 * over ten team namespaces, then measures creation, an idle period and a restart of the operator:
 * time to all Ready, create-to-Ready p50 and p99, cloud calls by kind per endpoint, 429s, writes to
 * the API server, probe requests, RSS and heap after GC.
 *
 * <p>Run with {@code ./mvnw -q -DskipTests install && ./mvnw -q -pl tools exec:exec@scale-benchmark
 * -Dscale.endpoints=1000 -Dscale.idle=10}.
 */
public final class ScaleBenchmark {

  static final String OPERATOR_NS = "crosswind-scale";
  static final int TEAMS = 10;
  static final String RG = "rg-scale";

  record Phase(String name, Map<String, Long> calls, Map<String, Long> writes, long refusals) {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int idleMinutes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    String heap = args.length > 2 ? args[2] : "537m";
    Path root = ControlPlane.repositoryRoot();
    Path jar = root.resolve("operator/target/crosswind-operator.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run ./mvnw -DskipTests install first");
    }
    say("%d endpoints, idle %d min, operator heap %s", n, idleMinutes, heap);
    try (Simulators clouds = SimulatedClouds.start(Set.of(RG), ManagementLimits.published());
        ControlPlane cluster = ControlPlane.start(root, ControlPlane.cacheDir());
        KubernetesClient client = cluster.adminClient()) {
      // An account with a model-unit quota raised to hold the mix's provisioned throughputs (one
      // unit each), as an account that runs them at this scale would have.
      clouds.bedrock().setModelUnitLimit("us-east-1", n);
      Resources.installCrds(client);
      Resources.namespace(client, OPERATOR_NS);
      for (int t = 0; t < TEAMS; t++) {
        Resources.namespace(client, team(t));
        Resources.grantForTests(client, team(t), Set.of(RG), SimulatedClouds.bedrockRole(clouds));
      }
      Path ca = clouds.certificates().writeCaPem(Files.createTempFile("crosswind-scale", ".pem"));
      OperatorProcess operator = new OperatorProcess(root, jar, heap, clouds, cluster, ca);
      operator.start();

      // Creation.
      Map<String, Long> writes0 = apiWrites(client);
      Instant applyStarted = Instant.now();
      applyAll(client, n);
      Duration applied = Duration.between(applyStarted, Instant.now());
      say("applied %d endpoints in %.1f s", n, applied.toMillis() / 1000.0);
      Duration allReady = awaitAllReady(client, n, applyStarted, Duration.ofMinutes(60));
      List<Long> latencies = createToReady(client);
      Phase creation =
          new Phase(
              "creation",
              clouds.calls().snapshot(),
              diff(apiWrites(client), writes0),
              refusals(clouds));
      Memory afterCreation = operator.memory();
      say(
          "all %d Ready %.1f s after the apply began; create-to-Ready p50 %d s, p99 %d s",
          n, allReady.toMillis() / 1000.0, percentile(latencies, 50), percentile(latencies, 99));

      // Idle.
      clouds.calls().reset();
      clouds.limits().resetRefusals();
      Map<String, Long> writes1 = apiWrites(client);
      say("idle for %d min ...", idleMinutes);
      Thread.sleep(Duration.ofMinutes(idleMinutes));
      Phase idle =
          new Phase(
              "idle " + idleMinutes + " min",
              clouds.calls().snapshot(),
              diff(apiWrites(client), writes1),
              refusals(clouds));
      Memory afterIdle = operator.memory();

      // Restart.
      clouds.calls().reset();
      clouds.limits().resetRefusals();
      Map<String, Long> writes2 = apiWrites(client);
      Map<String, String> versionsBefore = versions(client);
      Map<String, String> statusBefore = statuses(client);
      operator.stop();
      Instant restarted = Instant.now();
      operator.start();
      Duration steady = awaitQuiet(clouds, client, restarted, Duration.ofSeconds(30));
      Phase restart =
          new Phase(
              "restart",
              clouds.calls().snapshot(),
              diff(apiWrites(client), writes2),
              refusals(clouds));
      Memory afterRestart = operator.memory();
      eventsSince(client, restarted);
      changedSince(client, versionsBefore, statusBefore);
      operator.stop();

      report(
          n,
          idleMinutes,
          heap,
          applied,
          allReady,
          latencies,
          List.of(creation, idle, restart),
          steady,
          List.of(afterCreation, afterIdle, afterRestart));
    }
    System.exit(0);
  }

  static String team(int t) {
    return "team-" + t;
  }

  // ---- the endpoints ----

  /**
   * The mix, in every 20 endpoints: 10 Bedrock on demand (Direct mode), 2 Bedrock provisioned, 5
   * Azure in an account shared by about 40 endpoints of its team, 1 Azure in an account of its own,
   * 2 with both clouds under a Failover policy (Gateway mode).
   */
  static String endpoint(int i) {
    int shape = i % 20;
    String name = "ep-" + i;
    if (shape < 10) {
      return """
          apiVersion: crosswind.io/v1alpha1
          kind: ModelEndpoint
          metadata: {name: %s}
          spec:
            model: gpt-oss-120b
            targets:
              - name: bedrock
                bedrock: {region: us-east-1, modelId: openai.gpt-oss-120b-1:0}
            endpoint: {mode: Direct}
          """
          .formatted(name);
    }
    if (shape < 12) {
      return """
          apiVersion: crosswind.io/v1alpha1
          kind: ModelEndpoint
          metadata: {name: %s}
          spec:
            model: gpt-oss-120b
            targets:
              - name: bedrock-pt
                bedrock:
                  region: us-east-1
                  modelId: openai.gpt-5.4
                  throughput: {mode: Provisioned, modelUnits: 1, commitment: None}
          """
          .formatted(name);
    }
    if (shape < 18) {
      String account = shape < 17 ? sharedAccount(i) : "acct-own-" + i;
      return """
          apiVersion: crosswind.io/v1alpha1
          kind: ModelEndpoint
          metadata: {name: %s}
          spec:
            model: gpt-4o
            targets:
              - name: azure
                azure:
                  resourceGroup: %s
                  account: {name: %s, create: {location: eastus2}}
                  deployment:
                    model: {name: gpt-4o, version: "2024-11-20"}
                    sku: {name: GlobalStandard, capacity: 1}
          """
          .formatted(name, RG, account);
    }
    return """
        apiVersion: crosswind.io/v1alpha1
        kind: RoutingPolicy
        metadata: {name: %1$s}
        spec:
          strategy: Failover
          targets: [{provider: Bedrock, priority: 1}, {provider: AzureOpenAI, priority: 2}]
        ---
        apiVersion: crosswind.io/v1alpha1
        kind: ModelEndpoint
        metadata: {name: %1$s}
        spec:
          model: gpt-4o
          routingPolicyRef: {name: %1$s}
          targets:
            - name: bedrock
              bedrock: {region: us-east-1, modelId: openai.gpt-oss-120b-1:0}
            - name: azure
              azure:
                resourceGroup: %2$s
                account: {name: %3$s, create: {location: eastus2}}
                deployment:
                  model: {name: gpt-4o, version: "2024-11-20"}
                  sku: {name: GlobalStandard, capacity: 1}
          endpoint: {mode: Gateway}
        """
        .formatted(name, RG, sharedAccount(i));
  }

  /**
   * The shared Azure account of endpoint {@code i}: one per team and thousand endpoints, so that
   * about 40 endpoints share each (an account serves the namespace that made it, and no other).
   */
  static String sharedAccount(int i) {
    return "acct-" + team(i % TEAMS) + "-" + (i / 1000);
  }

  /** Server-side applies every endpoint, eight at a time, as kubectl apply --server-side does. */
  static void applyAll(KubernetesClient client, int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        done.add(
            pool.submit(
                () -> {
                  for (String doc : endpoint(index).split("(?m)^---$")) {
                    Object resource = Serialization.unmarshal(doc);
                    client
                        .resource((io.fabric8.kubernetes.api.model.HasMetadata) resource)
                        .inNamespace(team(index % TEAMS))
                        .fieldManager("scale-benchmark")
                        .forceConflicts()
                        .serverSideApply();
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  // ---- what is measured ----

  /**
   * Ready and every target provisioned: an endpoint under a Failover policy is Ready as soon as one
   * target serves, while the others may still be being created.
   */
  static boolean ready(ModelEndpoint e) {
    return readyCondition(e) != null
        && "True".equals(readyCondition(e).getStatus())
        && e.getStatus().getConditions().stream()
            .anyMatch(c -> "TargetsReady".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static Condition readyCondition(ModelEndpoint e) {
    if (e.getStatus() == null || e.getStatus().getConditions() == null) {
      return null;
    }
    return e.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  static Duration awaitAllReady(KubernetesClient client, int n, Instant started, Duration atMost)
      throws Exception {
    Instant deadline = started.plus(atMost);
    Instant lastSaid = Instant.now();
    while (Instant.now().isBefore(deadline)) {
      List<ModelEndpoint> all =
          client.resources(ModelEndpoint.class).inAnyNamespace().list().getItems();
      long ready = all.stream().filter(ScaleBenchmark::ready).count();
      if (ready >= n) {
        return Duration.between(started, Instant.now());
      }
      if (Duration.between(lastSaid, Instant.now()).toSeconds() >= 30) {
        Map<String, Long> reasons = new TreeMap<>();
        all.stream()
            .filter(e -> !ready(e))
            .forEach(
                e -> {
                  Condition c = readyCondition(e);
                  reasons.merge(c == null ? "no status" : c.getReason(), 1L, Long::sum);
                });
        say("%d of %d Ready; not ready by reason %s", ready, n, reasons);
        lastSaid = Instant.now();
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("not all endpoints Ready within " + atMost);
  }

  /** Seconds from each endpoint's creation to its Ready condition's transition. */
  static List<Long> createToReady(KubernetesClient client) {
    List<Long> seconds = new ArrayList<>();
    for (ModelEndpoint e :
        client.resources(ModelEndpoint.class).inAnyNamespace().list().getItems()) {
      Condition c = readyCondition(e);
      Instant created = Instant.parse(e.getMetadata().getCreationTimestamp());
      Instant readyAt = Instant.parse(c.getLastTransitionTime());
      seconds.add(Duration.between(created, readyAt).toSeconds());
    }
    seconds.sort(Long::compare);
    return seconds;
  }

  static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }

  static long refusals(Simulators clouds) {
    return clouds.limits().refusedTotal();
  }

  private static final Pattern REQUESTS =
      Pattern.compile("^apiserver_request_total\\{([^}]*)\\} ([0-9.e+]+)$", Pattern.MULTILINE);

  /**
   * The API server's own count of mutating requests, by verb and resource (its
   * apiserver_request_total), leases included so that they can be told apart.
   */
  static Map<String, Long> apiWrites(KubernetesClient client) {
    String metrics = client.raw("/metrics");
    Map<String, Long> writes = new TreeMap<>();
    Matcher m = REQUESTS.matcher(metrics);
    while (m.find()) {
      String labels = m.group(1);
      String verb = label(labels, "verb");
      if (!Set.of("POST", "PUT", "PATCH", "APPLY", "DELETE").contains(verb)) {
        continue;
      }
      String resource = label(labels, "resource");
      String sub = label(labels, "subresource");
      String key = verb + " " + resource + (sub.isEmpty() ? "" : "/" + sub);
      writes.merge(key, (long) Double.parseDouble(m.group(2)), Long::sum);
    }
    return writes;
  }

  static String label(String labels, String name) {
    Matcher m = Pattern.compile("(?:^|,)" + name + "=\"([^\"]*)\"").matcher(labels);
    return m.find() ? m.group(1) : "";
  }

  static Map<String, Long> diff(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> d = new TreeMap<>();
    after.forEach(
        (k, v) -> {
          long delta = v - before.getOrDefault(k, 0L);
          if (delta > 0) {
            d.put(k, delta);
          }
        });
    return d;
  }

  /**
   * After a restart: waits until neither a management call nor a write to the API server other than
   * the Lease's has happened for {@code quiet}; returns the time from the restart to the last one.
   */
  static Duration awaitQuiet(
      Simulators clouds, KubernetesClient client, Instant restarted, Duration quiet)
      throws Exception {
    long lastCalls = -1;
    long lastWrites = -1;
    Instant lastChange = Instant.now();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(30));
    while (Instant.now().isBefore(deadline)) {
      long calls = managementCalls(clouds.calls().snapshot());
      long writes =
          apiWrites(client).entrySet().stream()
              .filter(e -> !e.getKey().contains("leases"))
              .mapToLong(Map.Entry::getValue)
              .sum();
      if (calls != lastCalls || writes != lastWrites) {
        lastCalls = calls;
        lastWrites = writes;
        lastChange = Instant.now();
      } else if (Duration.between(lastChange, Instant.now()).compareTo(quiet) >= 0) {
        return Duration.between(restarted, lastChange);
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("the operator did not settle within 30 minutes of a restart");
  }

  /** The resource versions of the endpoints and of the Secrets of the operator namespace. */
  static Map<String, String> versions(KubernetesClient client) {
    Map<String, String> v = new TreeMap<>();
    client
        .resources(ModelEndpoint.class)
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(e -> v.put("mep " + key(e), e.getMetadata().getResourceVersion()));
    client
        .secrets()
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(x -> v.put("secret " + key(x), x.getMetadata().getResourceVersion()));
    return v;
  }

  static Map<String, String> statuses(KubernetesClient client) {
    Map<String, String> v = new TreeMap<>();
    client
        .resources(ModelEndpoint.class)
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(e -> v.put(key(e), Serialization.asJson(e.getStatus())));
    return v;
  }

  static String key(io.fabric8.kubernetes.api.model.HasMetadata o) {
    return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  /**
   * What a restart changed in the API server: counts, and one endpoint's status before and after.
   */
  static void changedSince(
      KubernetesClient client,
      Map<String, String> versionsBefore,
      Map<String, String> statusBefore) {
    Map<String, String> after = versions(client);
    Map<String, Long> changed = new TreeMap<>();
    after.forEach(
        (k, v) -> {
          if (!v.equals(versionsBefore.get(k))) {
            changed.merge(k.substring(0, k.indexOf(' ')), 1L, Long::sum);
          }
        });
    say("objects a restart changed: %s", changed);
    Map<String, String> statusAfter = statuses(client);
    for (var e : statusAfter.entrySet()) {
      String before = statusBefore.get(e.getKey());
      if (before != null && !before.equals(e.getValue())) {
        say("status of %s before: %s", e.getKey(), before);
        say("status of %s after:  %s", e.getKey(), e.getValue());
        break;
      }
    }
  }

  /** The events written since {@code since}, by reason, with one message each: what moved. */
  static void eventsSince(KubernetesClient client, Instant since) {
    Map<String, Long> reasons = new TreeMap<>();
    Map<String, String> samples = new TreeMap<>();
    for (io.fabric8.kubernetes.api.model.Event e :
        client.v1().events().inAnyNamespace().list().getItems()) {
      String at = e.getLastTimestamp() != null ? e.getLastTimestamp() : e.getFirstTimestamp();
      if (at == null || Instant.parse(at).isBefore(since)) {
        continue;
      }
      reasons.merge(e.getReason(), 1L, Long::sum);
      samples.putIfAbsent(e.getReason(), e.getInvolvedObject().getName() + ": " + e.getMessage());
    }
    say("events since the restart: %s; for example %s", reasons, samples);
  }

  static boolean management(String key) {
    return key.startsWith("arm/") || key.startsWith("bedrock/") || key.startsWith("sts/");
  }

  static long managementCalls(Map<String, Long> calls) {
    return calls.entrySet().stream()
        .filter(e -> management(e.getKey()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  static long probes(Map<String, Long> calls) {
    return calls.entrySet().stream()
        .filter(
            e ->
                e.getKey().startsWith("azure-openai/")
                    || e.getKey().startsWith("bedrock-runtime/")
                    || e.getKey().startsWith("bedrock-mantle/"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  record Memory(long rssMiB, long heapAfterGcMiB) {}

  /** The operator, from its jar, as a process of its own. */
  static final class OperatorProcess {
    final Path root;
    final Path jar;
    final String heap;
    final Simulators clouds;
    final ControlPlane cluster;
    final Path ca;
    final int opsPort;
    Process process;
    int starts;

    OperatorProcess(
        Path root, Path jar, String heap, Simulators clouds, ControlPlane cluster, Path ca)
        throws IOException {
      this.root = root;
      this.jar = jar;
      this.heap = heap;
      this.clouds = clouds;
      this.cluster = cluster;
      this.ca = ca;
      try (ServerSocket s = new ServerSocket(0)) {
        this.opsPort = s.getLocalPort();
      }
    }

    void start() throws Exception {
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx" + heap,
                  "-XX:+ExitOnOutOfMemoryError",
                  "-Daws.accessKeyId=" + clouds.credentials().awsAccessKeyId(),
                  "-Daws.secretAccessKey=" + clouds.credentials().awsSecretAccessKey(),
                  "-jar",
                  jar.toString(),
                  "--operator-namespace=" + OPERATOR_NS,
                  "--no-leader-election",
                  "--identity=scale-operator",
                  "--ops-address=127.0.0.1",
                  "--ops-port=" + opsPort,
                  "--log-level=WARN"));
      command.addAll(SimulatedClouds.operatorFlags(clouds, ca));
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
      pb.environment().put("AZURE_TENANT_ID", clouds.credentials().tenantId());
      pb.environment().put("AZURE_CLIENT_ID", clouds.credentials().clientId());
      pb.environment().put("AZURE_CLIENT_SECRET", clouds.credentials().clientSecret());
      Path log = root.resolve("tools/target/scale-operator-" + (++starts) + ".log");
      Files.createDirectories(log.getParent());
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      process = pb.start();
      HttpClient http = HttpClient.newHttpClient();
      Instant deadline = Instant.now().plusSeconds(120);
      while (Instant.now().isBefore(deadline)) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the operator exited; see " + log);
        }
        try {
          int status =
              http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/readyz"))
                          .build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode();
          if (status == 200) {
            say("operator ready (pid %d, log %s)", process.pid(), log);
            return;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        Thread.sleep(500);
      }
      throw new IllegalStateException("the operator was not ready within 120 s; see " + log);
    }

    void stop() throws Exception {
      process.destroy(); // SIGTERM, as Kubernetes stops a Pod
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }

    /** RSS from /proc, and the heap in use right after a full collection (jcmd GC.run). */
    Memory memory() throws Exception {
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
      String info =
          new String(
              new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.heap_info")
                  .redirectErrorStream(true)
                  .start()
                  .getInputStream()
                  .readAllBytes());
      Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
      long heapKiB = used.find() ? Long.parseLong(used.group(1)) : -1;
      long rssKiB = -1;
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          rssKiB = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return new Memory(rssKiB / 1024, heapKiB / 1024);
    }
  }

  // ---- the report ----

  static void report(
      int n,
      int idleMinutes,
      String heap,
      Duration applied,
      Duration allReady,
      List<Long> latencies,
      List<Phase> phases,
      Duration steady,
      List<Memory> memory) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%n## %d endpoints (operator heap %s)%n%n| figure | value |%n|---|---|%n",
            n,
            heap));
    row(out, "applied (server-side apply, 8 at a time)", secs(applied));
    row(out, "all Ready after the apply began", secs(allReady));
    row(
        out,
        "create-to-Ready p50 / p99",
        percentile(latencies, 50) + " s / " + percentile(latencies, 99) + " s");
    for (Phase p : phases) {
      long mgmt = managementCalls(p.calls());
      long writes =
          p.writes().entrySet().stream()
              .filter(e -> !e.getKey().contains("leases") && !e.getKey().contains("events"))
              .mapToLong(Map.Entry::getValue)
              .sum();
      row(
          out,
          p.name() + ": management calls per endpoint",
          String.format(Locale.ROOT, "%.2f (%d in all)", mgmt / (double) n, mgmt));
      row(out, p.name() + ": 429s from the simulated clouds", Long.toString(p.refusals()));
      row(
          out,
          p.name() + ": API writes (not Leases, not Events)",
          String.format(Locale.ROOT, "%d (%.2f per endpoint)", writes, writes / (double) n));
      row(out, p.name() + ": probe requests", Long.toString(probes(p.calls())));
    }
    row(out, "restart: back to steady (last call or write)", secs(steady));
    String[] when = {"after creation", "after idle", "after restart"};
    for (int i = 0; i < memory.size(); i++) {
      row(
          out,
          "operator RSS / heap after GC, " + when[i],
          memory.get(i).rssMiB() + " MiB / " + memory.get(i).heapAfterGcMiB() + " MiB");
    }
    Phase idle = phases.get(1);
    row(
        out,
        "probe requests per hour (from the idle period)",
        Long.toString(probes(idle.calls()) * 60 / idleMinutes));
    for (Phase p : phases) {
      out.append(String.format(Locale.ROOT, "%n%s, calls by kind per endpoint:", p.name()));
      p.calls()
          .forEach(
              (k, v) -> out.append(String.format(Locale.ROOT, " %s %.2f;", k, v / (double) n)));
      out.append(String.format(Locale.ROOT, "%n%s, API writes: %s%n", p.name(), p.writes()));
    }
    System.out.println(out);
  }

  static void row(StringBuilder out, String figure, String value) {
    out.append("| ").append(figure).append(" | ").append(value).append(" |\n");
  }

  static String secs(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  static void say(String format, Object... args) {
    System.out.printf(
        Locale.ROOT,
        "[%s] %s%n",
        Instant.now().toString().substring(11, 19),
        String.format(Locale.ROOT, format, args));
  }

  private ScaleBenchmark() {}
}
