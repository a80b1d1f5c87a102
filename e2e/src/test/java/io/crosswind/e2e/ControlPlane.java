package io.crosswind.e2e;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane on this machine: etcd and kube-apiserver built from Go modules by
 * {@code e2e/control-plane/build.sh}, started on loopback by fabric8's kube-api-test with RBAC,
 * generated certificates and a service-account signing key.
 *
 * <p>Only the API server and etcd run: no controller manager, so no garbage collection, no default
 * ServiceAccounts and no Pods. Tests assert on what the API server itself does.
 */
public final class ControlPlane implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

  private final KubeAPIServer server;
  private final Path workDir;
  private final Path binaries;
  private final Path kubeconfig;
  private final String version;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ControlPlane(
      KubeAPIServer server, Path workDir, Path binaries, Path kubeconfig, String version) {
    this.server = server;
    this.workDir = workDir;
    this.binaries = binaries;
    this.kubeconfig = kubeconfig;
    this.version = version;
  }

  /** Starts etcd and kube-apiserver; the binaries must have been built already. */
  public static ControlPlane start(Path repositoryRoot, Path cacheDir) throws IOException {
    String version = kubernetesVersion(repositoryRoot);
    Path k8s = cacheDir.resolve("control-plane/k8s");
    Path binaries = k8s.resolve(version + "-linux-amd64");
    if (!Files.isExecutable(binaries.resolve("kube-apiserver"))) {
      throw new IllegalStateException(
          "no kube-apiserver "
              + version
              + " in "
              + binaries
              + ": run e2e/control-plane/build.sh (./mvnw verify runs it)");
    }
    Path workDir = Files.createTempDirectory("crosswind-apiserver-");
    Files.createSymbolicLink(workDir.resolve("k8s"), k8s);
    KubeAPIServer server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(workDir.toString())
                .withApiServerVersion(version)
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .withStartupTimeout(120_000)
                .withWaitForEtcdHealthCheckOnStartup(true)
                .withApiServerFlag("--bind-address", "127.0.0.1")
                .build());
    long started = System.nanoTime();
    server.start();
    Path kubeconfig = workDir.resolve("kubeconfig.yaml");
    Files.writeString(kubeconfig, server.getKubeConfigYaml());
    ControlPlane plane = new ControlPlane(server, workDir, binaries, kubeconfig, version);
    LOG.info(
        "kube-apiserver {} ready in {} ms; kubeconfig {}",
        version,
        Duration.ofNanos(System.nanoTime() - started).toMillis(),
        kubeconfig);
    return plane;
  }

  /** KUBERNETES_VERSION from e2e/control-plane/versions.env, without the leading v. */
  static String kubernetesVersion(Path repositoryRoot) throws IOException {
    try (Stream<String> lines =
        Files.lines(repositoryRoot.resolve("e2e/control-plane/versions.env"))) {
      return lines
          .filter(l -> l.startsWith("KUBERNETES_VERSION="))
          .map(l -> l.substring("KUBERNETES_VERSION=".length()).trim().replaceFirst("^v", ""))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("KUBERNETES_VERSION not in versions.env"));
    }
  }

  public String version() {
    return version;
  }

  public Path kubectlBinary() {
    return binaries.resolve("kubectl");
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** A client with the cluster-admin certificate. */
  public KubernetesClient adminClient() {
    return new KubernetesClientBuilder().withConfig(adminConfig()).build();
  }

  public Config adminConfig() {
    return Config.fromKubeconfig(server.getKubeConfigYaml());
  }

  /**
   * A client that authenticates as a ServiceAccount with a token the API server issues
   * (TokenRequest), as a pod of that ServiceAccount would.
   */
  public KubernetesClient clientFor(String namespace, String serviceAccount) {
    try (KubernetesClient admin = adminClient()) {
      String token =
          admin
              .serviceAccounts()
              .inNamespace(namespace)
              .withName(serviceAccount)
              .tokenRequest(
                  new TokenRequestBuilder()
                      .withNewSpec()
                      .withExpirationSeconds(3600L)
                      .endSpec()
                      .build())
              .getStatus()
              .getToken();
      Config config =
          new ConfigBuilder(adminConfig())
              .withClientCertData(null)
              .withClientKeyData(null)
              .withClientCertFile(null)
              .withClientKeyFile(null)
              .withOauthToken(token)
              .withRequestRetryBackoffLimit(0)
              .build();
      return new KubernetesClientBuilder().withConfig(config).build();
    }
  }

  /** Runs the kubectl built with the API server against it; returns stdout, fails on error. */
  public String kubectl(String... args) {
    List<String> command = new ArrayList<>();
    command.add(kubectlBinary().toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    return run(command, Map.of());
  }

  /**
   * Runs one of the control plane's programs (kubectl, helm) with these environment variables
   * added; returns what it printed (stdout and stderr), fails when it fails or takes over a minute.
   */
  static String run(List<String> command, Map<String, String> environment) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(environment);
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(
            Path.of(command.get(0)).getFileName()
                + " "
                + String.join(" ", command.subList(1, command.size()))
                + " failed:\n"
                + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Applies YAML as a user would: written to a file, then {@code kubectl apply -f}. */
  public String apply(String namespace, String yaml) {
    try {
      Path file = Files.createTempFile("crosswind-e2e-", ".yaml");
      try {
        Files.writeString(file, yaml);
        return kubectl("apply", "-n", namespace, "-f", file.toString());
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.stop();
    } finally {
      deleteQuietly(workDir);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  LOG.debug("could not delete {}", p);
                }
              });
    } catch (IOException e) {
      LOG.debug("could not clean {}", dir);
    }
  }

  /** The repository's root: {@code crosswind.repository.root}, else the parent folder. */
  public static Path repositoryRoot() {
    return Path.of(System.getProperty("crosswind.repository.root", ".."))
        .toAbsolutePath()
        .normalize();
  }

  /** Where build.sh keeps the control plane: {@code crosswind.cache.dir}, else ~/.cache. */
  public static Path cacheDir() {
    String configured = System.getProperty("crosswind.cache.dir");
    return configured != null
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".cache", "crosswind");
  }
}
