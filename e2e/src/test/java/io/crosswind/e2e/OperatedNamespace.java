package io.crosswind.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.TargetStatus;
import io.crosswind.operator.CrosswindOperator;
import io.crosswind.operator.OperatorConfig;
import io.crosswind.operator.publish.PublishedNames;
import io.crosswind.operator.publish.PublishedTable;
import io.crosswind.operator.publish.PublishedTables;
import io.crosswind.simulators.Simulators;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * One namespace of the real API server with an operator of its own and the simulated clouds it
 * uses, seen the way a platform team sees it (kubectl, the ModelEndpoint's status and events, what
 * is published) and used the way an application uses it (the endpoint Secret's variables with an
 * OpenAI-style client).
 */
final class OperatedNamespace implements AutoCloseable {

  final ControlPlane cluster;
  final KubernetesClient client;
  final String namespace;
  final String operatorNamespace;
  final Simulators clouds;
  private final Path caFile;
  private final HttpClient http;
  private List<String> operatorFlags;
  private CrosswindOperator operator;

  private OperatedNamespace(
      ControlPlane cluster, String namespace, String operatorNamespace, Simulators clouds)
      throws IOException {
    this.cluster = cluster;
    this.client = cluster.adminClient();
    this.namespace = namespace;
    this.operatorNamespace = operatorNamespace;
    this.clouds = clouds;
    this.caFile =
        clouds.certificates().writeCaPem(Files.createTempFile("crosswind-" + namespace, ".pem"));
    this.http =
        HttpClient.newBuilder().sslContext(clouds.certificates().clientSslContext()).build();
  }

  /**
   * Starts the simulators (with these Azure resource groups), installs crds/ and both namespaces,
   * grants the namespace what the tests use ({@link Resources#grantForTests}); applications trust
   * the simulators' CA.
   */
  static OperatedNamespace create(
      String namespace, String operatorNamespace, Set<String> resourceGroups) throws IOException {
    return create(
        namespace,
        operatorNamespace,
        resourceGroups,
        io.crosswind.simulators.core.ManagementLimits.off());
  }

  /** The same, with the simulated clouds enforcing these management limits. */
  static OperatedNamespace create(
      String namespace,
      String operatorNamespace,
      Set<String> resourceGroups,
      io.crosswind.simulators.core.ManagementLimits limits)
      throws IOException {
    OperatedNamespace created =
        new OperatedNamespace(
            RealCluster.get(),
            namespace,
            operatorNamespace,
            SimulatedClouds.start(resourceGroups, limits));
    Resources.installCrds(created.client);
    Resources.namespace(created.client, operatorNamespace);
    Resources.namespace(created.client, namespace);
    Resources.grantForTests(
        created.client, namespace, resourceGroups, SimulatedClouds.bedrockRole(created.clouds));
    return created;
  }

  /**
   * Starts the operator as its process starts it, watching this namespace alone, without leader
   * election, with short resync and probe intervals and every cloud client on the simulators.
   */
  void startOperator(String identity, String... extraFlags) throws IOException {
    List<String> flags = new ArrayList<>(List.of("--no-leader-election"));
    flags.addAll(List.of(extraFlags));
    operatorFlags = flags(identity, flags);
    startOperator();
  }

  /**
   * Starts one more operator on this namespace, with leader election on and these flags (its Lease
   * and selector, say): a shard of its own, which the caller closes.
   */
  CrosswindOperator startShard(String identity, String... extraFlags) throws IOException {
    return CrosswindOperator.start(
        OperatorConfig.parse(flags(identity, List.of(extraFlags)).toArray(String[]::new)),
        cluster.adminClient());
  }

  /** The flags every operator here gets: this namespace alone, the simulators, short intervals. */
  private List<String> flags(String identity, List<String> extraFlags) {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--operator-namespace=" + operatorNamespace,
                "--watch-namespaces=" + namespace,
                "--cluster-id=e2e",
                "--identity=" + identity,
                "--ops-address=127.0.0.1",
                "--ops-port=0",
                "--resync-interval=5s",
                "--probe-interval=2s"));
    flags.addAll(extraFlags);
    flags.addAll(SimulatedClouds.operatorFlags(clouds, caFile));
    return flags;
  }

  /** Starts the operator again, as it was started before: a new process with no memory. */
  void startOperator() throws IOException {
    operator =
        CrosswindOperator.start(
            OperatorConfig.parse(operatorFlags.toArray(String[]::new)), cluster.adminClient());
  }

  /** A Secret in the namespace with the simulated service principal, as targets reference it. */
  void azureCredentialsSecret(String name) {
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToStringData("AZURE_TENANT_ID", clouds.credentials().tenantId())
                .addToStringData("AZURE_CLIENT_ID", clouds.credentials().clientId())
                .addToStringData("AZURE_CLIENT_SECRET", clouds.credentials().clientSecret())
                .build())
        .serverSideApply();
  }

  /** The operator's Prometheus metrics, as its /metrics endpoint serves them. */
  String metrics() throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + operator.opsPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Stops the operator as SIGTERM does, waiting for running reconciles. */
  void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  /** No faults and no counted calls: what each test starts from. */
  void resetClouds() {
    clouds.faults().clear();
    clouds.calls().reset();
  }

  @Override
  public void close() {
    stopOperator();
    clouds.close();
    client.close();
  }

  String apply(String yaml) {
    return cluster.apply(namespace, yaml);
  }

  /** kubectl in this namespace. */
  String kubectl(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("-n", namespace));
    return cluster.kubectl(all.toArray(String[]::new));
  }

  ModelEndpoint get(String name) {
    return client.resources(ModelEndpoint.class).inNamespace(namespace).withName(name).get();
  }

  Optional<Condition> ready(String name) {
    ModelEndpoint e = get(name);
    if (e == null || e.getStatus() == null || e.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return e.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst();
  }

  void awaitReason(String name, String reason) {
    awaitReason(name, reason, Duration.ofSeconds(60));
  }

  void awaitReason(String name, String reason, Duration atMost) {
    await()
        .atMost(atMost)
        .untilAsserted(() -> assertThat(ready(name).map(Condition::getReason)).contains(reason));
  }

  /** The endpoint's first (here: only) target in status. */
  TargetStatus target(String name) {
    ModelEndpoint e = get(name);
    assertThat(e).as("endpoint %s", name).isNotNull();
    assertThat(e.getStatus()).as("status of %s", name).isNotNull();
    assertThat(e.getStatus().getTargets()).as("targets of %s", name).isNotEmpty();
    return e.getStatus().getTargets().get(0);
  }

  /** The endpoint Secret applications read, decoded. */
  Map<String, String> endpointSecret(String name) {
    Secret s =
        client.secrets().inNamespace(namespace).withName(PublishedNames.endpointSecret(name)).get();
    return s.getData().entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e -> new String(Base64.getDecoder().decode(e.getValue()), StandardCharsets.UTF_8)));
  }

  /** The route table Secret in the operator namespace, or null when there is none. */
  Secret routeTableSecret(String name) {
    return client
        .secrets()
        .inNamespace(operatorNamespace)
        .withName(PublishedNames.routeTable(namespace, name))
        .get();
  }

  PublishedTable routeTable(String name) {
    return PublishedTables.read(Optional.ofNullable(routeTableSecret(name)));
  }

  String events(String name) {
    return kubectl("get", "events", "--field-selector", "involvedObject.name=" + name);
  }

  /** A chat completion the way an OpenAI SDK sends it with the endpoint Secret's variables. */
  int chat(Map<String, String> env) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(env.get("OPENAI_BASE_URL") + "/chat/completions"))
            .header("Authorization", "Bearer " + env.get("OPENAI_API_KEY"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\""
                        + env.get("OPENAI_MODEL")
                        + "\",\"max_tokens\":5,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** What a user does while the operator changes something. */
  interface Step {
    void run() throws Exception;
  }

  /**
   * Sends chat completions with whatever the endpoint Secret holds, every 50 ms, while {@code step}
   * runs; returns each answer's status (-1 for a request that could not be sent).
   */
  List<Integer> chattingWhile(String name, Step step) throws Exception {
    List<Integer> answers = new CopyOnWriteArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread user =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (running.get()) {
                    try {
                      answers.add(chat(endpointSecret(name)));
                      Thread.sleep(50);
                    } catch (Exception e) {
                      answers.add(-1);
                    }
                  }
                });
    try {
      step.run();
    } finally {
      running.set(false);
      user.join();
    }
    return answers;
  }
}
