package io.crosswind.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.operator.CrosswindOperator;
import io.crosswind.operator.OperatorConfig;
import io.crosswind.simulators.Simulators;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Helm chart on the real API server: it lints, its rendering is accepted (server-side dry run,
 * then a real server-side apply), its pods meet the restricted Pod Security Standard, and the
 * operator, started with exactly the chart's flags and authenticated as the chart's ServiceAccount
 * with a token the API server issues, serves an Azure endpoint end to end while its RBAC refuses
 * what it does not need.
 *
 * <p>One scenario takes the operator's own retry of a forbidden credentials Secret (one minute): it
 * starts first and is checked last, so that the other tests run in the meantime.
 */
@ExtendWith(RealCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmChartE2ETest {

  static final String RELEASE = "crosswind";
  static final String RELEASE_NS = "crosswind-helm";

  /** The route tables' own namespace, which the chart creates: <release namespace>-routes. */
  static final String ROUTES_NS = RELEASE_NS + "-routes";

  static final String APPS = "helm-apps";
  static final String RG = "rg-helm";
  static final String OPERATOR_SA = "crosswind-operator";
  static final String GATEWAY_SA = "crosswind-gateway";
  static final String CA_CONFIGMAP = "crosswind-cloud-ca";

  /** Pod names, as the Deployment's ReplicaSet would give them. */
  static final String LEADER = "crosswind-operator-5d8f7c9b4-x2k7q";

  static final String STANDBY = "crosswind-operator-5d8f7c9b4-q9m4z";

  static ControlPlane cluster;
  static KubernetesClient admin;
  static KubernetesClient asOperator;
  static Simulators clouds;
  static Path work;
  static List<GenericKubernetesResource> rendered;
  static CrosswindOperator operator;

  @BeforeAll
  static void installTheChartAndStartTheOperatorAsItsServiceAccount() throws Exception {
    cluster = RealCluster.get();
    admin = cluster.adminClient();
    work = Files.createTempDirectory("crosswind-helm-e2e-");
    clouds = SimulatedClouds.start(Set.of(RG, "rg-payments-ai"));
    SimulatedClouds.operatorIdentity(clouds);
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(RELEASE_NS)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .addToLabels("pod-security.kubernetes.io/warn", "restricted")
                .endMetadata()
                .build())
        .serverSideApply();
    Resources.namespace(admin, APPS);
    // helm install creates the chart's crds/ before its templates (a CloudGrant among them).
    Resources.installCrds(admin);
    Path ca = clouds.certificates().writeCaPem(work.resolve("ca.crt"));
    cluster.kubectl(
        "create", "configmap", CA_CONFIGMAP, "-n", RELEASE_NS, "--from-file=ca.crt=" + ca);
    for (String name : List.of("azure-sp", "someone-elses")) {
      admin
          .secrets()
          .inNamespace(APPS)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .endMetadata()
                  .addToStringData("AZURE_TENANT_ID", clouds.credentials().tenantId())
                  .addToStringData("AZURE_CLIENT_ID", clouds.credentials().clientId())
                  .addToStringData("AZURE_CLIENT_SECRET", clouds.credentials().clientSecret())
                  .build())
          .serverSideApply();
    }

    Path manifest = work.resolve("rendered.yaml");
    Files.writeString(
        manifest,
        Helm.run(
            "template",
            RELEASE,
            chart().toString(),
            "--namespace",
            RELEASE_NS,
            "--include-crds",
            "--kube-version",
            cluster.version(),
            "--values",
            values(clouds).toString()));
    rendered = Resources.documents(manifest);
    // helm install creates the chart's Namespace (the route tables') before the objects in it; a
    // server dry run of the whole manifest cannot, so the Namespace is made first here.
    Resources.namespace(admin, ROUTES_NS);
    String dryRun =
        cluster.kubectl(
            "apply",
            "--server-side",
            "--force-conflicts",
            "--dry-run=server",
            "-f",
            manifest.toString());
    assertThat(dryRun).contains("serverside-applied (server dry run)");
    // --force-conflicts: the suite's other classes installed the CRDs (field manager fabric8)
    // before;
    // the chart takes them over, as a helm upgrade over a kubectl-installed CRD would.
    String applied =
        cluster.kubectl("apply", "--server-side", "--force-conflicts", "-f", manifest.toString());
    assertThat(applied)
        .contains("namespace/" + ROUTES_NS + " serverside-applied")
        .doesNotContain("would violate PodSecurity")
        .doesNotContain("Warning");

    // A CRD just created serves its storage a moment after it is Established.
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                admin.resources(ModelEndpoint.class).inNamespace(APPS).list() != null
                    && admin
                            .resources(io.crosswind.api.v1alpha1.RoutingPolicy.class)
                            .inNamespace(APPS)
                            .list()
                        != null);

    asOperator = cluster.clientFor(RELEASE_NS, OPERATOR_SA);
    operator = startOperator(LEADER, asOperator);
    cluster.apply(
        APPS, endpoint("granted", "acct-granted", "      credentialsSecretRef: {name: azure-sp}"));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (clouds != null) {
      clouds.close();
    }
    admin.close();
  }

  static Path chart() {
    return Resources.root().resolve("helm/crosswind");
  }

  /** The values a platform team would write, with the cloud endpoints of the simulators. */
  static Path values(Simulators sim) throws IOException {
    Path file = work.resolve("values.yaml");
    Files.writeString(
        file,
        """
        operator:
          clusterId: helm-e2e
          watchNamespaces: [%s]
          extraArgs: [--probe-interval=2s]
        azure:
          subscriptionId: %s
          authorityHost: %s
          resourceManagerEndpoint: %s
        aws:
          roleArn: %s
          bedrockEndpoint: %s
          bedrockRuntimeEndpoint: %s
          bedrockMantleEndpoint: %s
          stsEndpoint: %s
        cloudCA:
          configMap: %s
          key: ca.crt
        grants:
          - name: helm-e2e-apps
            namespaces: [%s]
            azure: [{resourceGroups: [%s, rg-payments-ai], createAccounts: true}]
            bedrock: {regions: [us-east-1], useOperatorIdentity: true}
        """
            .formatted(
                APPS,
                sim.credentials().subscriptionId(),
                sim.entraAuthorityHost(),
                sim.armEndpoint(),
                SimulatedClouds.bedrockRole(sim),
                sim.bedrockEndpoint("{region}"),
                sim.bedrockRuntimeEndpoint("{region}"),
                sim.bedrockMantleEndpoint("{region}"),
                sim.stsEndpoint(),
                CA_CONFIGMAP,
                APPS,
                RG));
    return file;
  }

  static Deployment deployment(String name) {
    GenericKubernetesResource doc =
        rendered.stream()
            .filter(d -> "Deployment".equals(d.getKind()) && name.equals(d.getMetadata().getName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the chart renders no Deployment " + name));
    return Serialization.jsonMapper().convertValue(doc, Deployment.class);
  }

  /**
   * The operator process as the chart's Deployment starts it: its container's arguments with {@code
   * $(VAR)} expanded from the downward API, the ConfigMap volume's files where the container would
   * see them; only the operations server moves to a free loopback port.
   */
  static CrosswindOperator startOperator(String podName, KubernetesClient client)
      throws IOException {
    Container container =
        deployment("crosswind-operator").getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> downward =
        Map.of("metadata.name", podName, "metadata.namespace", RELEASE_NS);
    Map<String, String> env = new java.util.HashMap<>();
    for (EnvVar e : container.getEnv()) {
      env.put(
          e.getName(),
          e.getValue() != null
              ? e.getValue()
              : downward.get(e.getValueFrom().getFieldRef().getFieldPath()));
    }
    Map<String, Path> mounts = mountedConfigMaps(container);
    List<String> args = new ArrayList<>();
    for (String arg : container.getArgs()) {
      String expanded = arg;
      for (var e : env.entrySet()) {
        expanded = expanded.replace("$(" + e.getKey() + ")", e.getValue());
      }
      for (var m : mounts.entrySet()) {
        expanded = expanded.replace("=" + m.getKey() + "/", "=" + m.getValue() + "/");
      }
      args.add(expanded);
    }
    args.addAll(List.of("--ops-address=127.0.0.1", "--ops-port=0"));
    return CrosswindOperator.start(OperatorConfig.parse(args.toArray(String[]::new)), client);
  }

  /** Writes each ConfigMap volume's keys from the API server to a directory, as kubelet would. */
  static Map<String, Path> mountedConfigMaps(Container container) throws IOException {
    PodSpec pod = deployment("crosswind-operator").getSpec().getTemplate().getSpec();
    Map<String, Path> mounts = new java.util.HashMap<>();
    for (VolumeMount mount : container.getVolumeMounts()) {
      var volume =
          pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst();
      if (volume.isEmpty() || volume.get().getConfigMap() == null) {
        continue;
      }
      ConfigMap data =
          admin
              .configMaps()
              .inNamespace(RELEASE_NS)
              .withName(volume.get().getConfigMap().getName())
              .get();
      Path dir = Files.createDirectories(work.resolve("mounts").resolve(mount.getName()));
      for (var item : volume.get().getConfigMap().getItems()) {
        Files.writeString(dir.resolve(item.getPath()), data.getData().get(item.getKey()));
      }
      mounts.put(mount.getMountPath(), dir);
    }
    return mounts;
  }

  /** An Azure endpoint in Gateway mode, as a user writes it. */
  static String endpoint(String name, String account, String credentials) {
    return """
        apiVersion: crosswind.io/v1alpha1
        kind: ModelEndpoint
        metadata:
          name: %s
        spec:
          model: gpt-4o
          targets:
            - name: azure
        %s
              azure:
                resourceGroup: %s
                account: {name: %s, create: {location: eastus2}}
                deployment:
                  model: {name: gpt-4o, version: "2024-11-20"}
                  sku: {name: GlobalStandard, capacity: 10}
        """
        .formatted(name, credentials, RG, account);
  }

  static JsonNode live(String kind, String name) {
    return Serialization.jsonMapper()
        .valueToTree(
            admin
                .genericKubernetesResources("crosswind.io/v1alpha1", kind)
                .inNamespace(APPS)
                .withName(name)
                .get());
  }

  static Optional<Condition> ready(String name) {
    ModelEndpoint e = admin.resources(ModelEndpoint.class).inNamespace(APPS).withName(name).get();
    if (e == null || e.getStatus() == null || e.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return e.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst();
  }

  static void awaitReason(String name, String reason, Duration atMost) {
    await()
        .atMost(atMost)
        .untilAsserted(() -> assertThat(ready(name).map(Condition::getReason)).contains(reason));
  }

  /** The route table the operator keeps for the gateway in its own namespace. */
  static Secret routeTable(String endpoint) {
    return admin
        .secrets()
        .inNamespace(ROUTES_NS)
        .withName("crosswind-routes-" + APPS + "." + endpoint)
        .get();
  }

  static Map<String, String> data(Secret secret) {
    Map<String, String> decoded = new java.util.TreeMap<>();
    secret
        .getData()
        .forEach(
            (k, v) ->
                decoded.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return decoded;
  }

  // ------------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void aCredentialsSecretTheOperatorMayNotReadIsReportedAndTheDocumentedRoleGrantsIt()
      throws IOException {
    awaitReason("granted", "CredentialsSecretForbidden", Duration.ofSeconds(30));
    assertThat(ArgoCdHealth.modelEndpoint().of(live("ModelEndpoint", "granted")).status())
        .isEqualTo("Degraded");

    cluster.apply(APPS, documentedRole());
    // The operator looks again within a minute (docs/status.md); the last test checks the result.
  }

  /** The Role and RoleBinding of docs/security.md, with this test's namespaces. */
  static String documentedRole() throws IOException {
    return documented("docs/security.md", "credentials-role")
        .replace("namespace: payments", "namespace: " + APPS)
        .replace("namespace: crosswind-system", "namespace: " + RELEASE_NS);
  }

  /** The YAML block that follows {@code <!-- marker -->} in a page of docs/. */
  static String documented(String page, String marker) throws IOException {
    String text = Files.readString(Resources.root().resolve(page));
    Matcher block =
        Pattern.compile("<!-- " + marker + " -->\\s*```yaml\\n(.*?)```", Pattern.DOTALL)
            .matcher(text);
    assertThat(block.find()).as("%s has a YAML block marked %s", page, marker).isTrue();
    return block.group(1);
  }

  @Test
  @Order(2)
  void theChartLintsWithEveryOptionalPartOnAndItsSchemaRejectsAMisspeltValue() throws IOException {
    Path everything = work.resolve("everything.yaml");
    Files.writeString(
        everything,
        """
        operator:
          watchNamespaces: [%s]
        rbac: {namespaced: true}
        azure:
          subscriptionId: 00000000-0000-0000-0000-000000000000
          workloadIdentity: {enabled: true, clientId: 11111111-1111-1111-1111-111111111111}
        aws:
          roleArn: arn:aws:iam::111122223333:role/crosswind-bedrock
          irsa: {roleArn: "arn:aws:iam::111122223333:role/crosswind-operator"}
        cloudCA: {configMap: %s}
        gateway:
          autoscaling: {enabled: true}
        serviceMonitor: {enabled: true}
        networkPolicy:
          enabled: true
          metricsFrom: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
        """
            .formatted(APPS, CA_CONFIGMAP));
    String kube = "--kube-version=" + cluster.version();
    assertThat(Helm.run("lint", "--strict", kube, chart().toString()))
        .contains("1 chart(s) linted, 0 chart(s) failed");
    assertThat(
            Helm.run(
                "lint", "--strict", kube, chart().toString(), "--values", everything.toString()))
        .contains("1 chart(s) linted, 0 chart(s) failed");
    assertThat(
            catchThrowableOfType(
                IllegalStateException.class,
                () -> Helm.run("template", chart().toString(), "--set", "operator.replica=3")))
        .hasMessageContaining("additional properties 'replica' not allowed");
    // Off AKS, the chart projects the token the operator presents as CloudGrant identities.
    String projected =
        Helm.run(
            "template",
            chart().toString(),
            "--show-only",
            "templates/operator-deployment.yaml",
            "--set",
            "azure.grantIdentities.projectToken=true");
    assertThat(projected)
        .contains("audience: api://AzureADTokenExchange")
        .contains("value: /var/run/secrets/azure/tokens/azure-identity-token")
        .contains("mountPath: /var/run/secrets/azure/tokens");
  }

  @Test
  @Order(3)
  void withWatchedNamespacesTheOperatorMayReconcileThereAndNowhereElse() throws IOException {
    // Every optional part but the ServiceMonitor (no Prometheus Operator here), applied as a
    // second release beside the one the operator runs from.
    Path values = work.resolve("namespaced.yaml");
    Files.writeString(
        values,
        """
        operator:
          watchNamespaces: [%s]
        rbac: {namespaced: true}
        gateway:
          autoscaling: {enabled: true}
        networkPolicy: {enabled: true}
        """
            .formatted(APPS));
    Path other = work.resolve("other.yaml");
    Files.writeString(
        other,
        Helm.run(
            "template",
            "other",
            chart().toString(),
            "--namespace",
            RELEASE_NS,
            "--kube-version=" + cluster.version(),
            "--values",
            values.toString()));
    cluster.kubectl("apply", "--server-side", "--dry-run=server", "-f", other.toString());
    String applied = cluster.kubectl("apply", "--server-side", "-f", other.toString());
    assertThat(applied)
        .contains("horizontalpodautoscaler.autoscaling/other-crosswind-gateway serverside-applied")
        .contains("networkpolicy.networking.k8s.io/other-crosswind-gateway serverside-applied");
    // Cluster-wide only what a cluster-scoped kind needs: reading CloudGrants.
    assertThat(applied.lines().filter(l -> l.startsWith("clusterrole")))
        .containsExactly(
            "clusterrole.rbac.authorization.k8s.io/other-crosswind-operator-grants"
                + " serverside-applied",
            "clusterrolebinding.rbac.authorization.k8s.io/other-crosswind-operator-grants"
                + " serverside-applied");

    String operator = "other-crosswind-operator";
    assertThat(allowed(operator, "list", "crosswind.io", "modelendpoints", APPS)).isTrue();
    assertThat(allowed(operator, "create", "", "secrets", APPS)).isTrue();
    assertThat(allowed(operator, "create", "", "secrets", RELEASE_NS)).isTrue();
    assertThat(allowed(operator, "list", "crosswind.io", "modelendpoints", "default")).isFalse();
    assertThat(allowed(operator, "create", "", "secrets", "default")).isFalse();
    assertThat(allowed(operator, "get", "", "secrets", APPS)).isFalse();
    assertThat(allowed(operator, "watch", "crosswind.io", "cloudgrants", null)).isTrue();
    assertThat(allowed(operator, "update", "crosswind.io", "cloudgrants", null))
        .as("no team, and not the operator, can write a grant through it")
        .isFalse();
  }

  /** What the API server's authorizer answers for a ServiceAccount of the release namespace. */
  @Test
  @Order(11)
  void theOperatorWritesSecretsOnlyInItsTenantNamespaces() {
    // The release's values: watchNamespaces [APPS] and a grant for APPS; no rbac.clusterWide.
    assertThat(allowed(OPERATOR_SA, "create", "", "secrets", APPS)).isTrue();
    assertThat(allowed(OPERATOR_SA, "patch", "", "services", APPS)).isTrue();
    assertThat(allowed(OPERATOR_SA, "create", "", "secrets", ROUTES_NS))
        .as("route tables")
        .isTrue();
    for (String elsewhere : List.of("kube-system", "default", "other-team")) {
      assertThat(allowed(OPERATOR_SA, "create", "", "secrets", elsewhere)).as(elsewhere).isFalse();
      assertThat(allowed(OPERATOR_SA, "patch", "", "secrets", elsewhere)).as(elsewhere).isFalse();
      assertThat(allowed(OPERATOR_SA, "delete", "", "secrets", elsewhere)).as(elsewhere).isFalse();
      assertThat(allowed(OPERATOR_SA, "create", "", "services", elsewhere)).as(elsewhere).isFalse();
    }
    assertThat(allowed(OPERATOR_SA, "list", "crosswind.io", "modelendpoints", "other-team"))
        .as("it still sees endpoints everywhere, to say what they lack")
        .isTrue();
    assertThat(allowed(OPERATOR_SA, "get", "", "secrets", APPS)).isFalse();
  }

  static boolean allowed(
      String serviceAccount, String verb, String group, String resource, String namespace) {
    return admin
        .authorization()
        .v1()
        .subjectAccessReview()
        .create(
            new SubjectAccessReviewBuilder()
                .withNewSpec()
                .withUser("system:serviceaccount:" + RELEASE_NS + ":" + serviceAccount)
                .withNewResourceAttributes()
                .withVerb(verb)
                .withGroup(group)
                .withResource(resource)
                .withNamespace(namespace)
                .endResourceAttributes()
                .endSpec()
                .build())
        .getStatus()
        .getAllowed();
  }

  @Test
  @Order(4)
  void bothPodTemplatesMeetTheRestrictedPodSecurityStandard() {
    for (String name : List.of("crosswind-operator", "crosswind-gateway")) {
      PodSpec spec = deployment(name).getSpec().getTemplate().getSpec();
      Pod pod =
          new PodBuilder().withNewMetadata().withName(name).endMetadata().withSpec(spec).build();
      admin.pods().inNamespace(RELEASE_NS).resource(pod).dryRun().create();
      assertThat(spec.getContainers().get(0).getResources().getLimits())
          .containsKeys("cpu", "memory");
      assertThat(spec.getContainers().get(0).getLivenessProbe().getHttpGet().getPath())
          .isEqualTo("/healthz");
      assertThat(spec.getContainers().get(0).getReadinessProbe().getHttpGet().getPath())
          .isEqualTo("/readyz");
    }
    // The namespace does enforce it: a pod that may escalate privileges is refused.
    PodSpec lax = deployment("crosswind-gateway").getSpec().getTemplate().getSpec();
    lax.getContainers().get(0).getSecurityContext().setAllowPrivilegeEscalation(true);
    KubernetesClientException refused =
        catchThrowableOfType(
            KubernetesClientException.class,
            () ->
                admin
                    .pods()
                    .inNamespace(RELEASE_NS)
                    .resource(
                        new PodBuilder()
                            .withNewMetadata()
                            .withName("lax")
                            .endMetadata()
                            .withSpec(lax)
                            .build())
                    .dryRun()
                    .create());
    assertThat(refused.getMessage()).contains("violates PodSecurity \"restricted:latest\"");
  }

  @Test
  @Order(5)
  void theOperatorAsTheChartsServiceAccountServesAnEndpointEndToEnd() throws Exception {
    String manifest = endpoint("served", "acct-served", "");
    cluster.apply(APPS, manifest);
    awaitReason("served", "Serving", Duration.ofSeconds(60));

    assertThat(cluster.kubectl("get", "mep", "served", "-n", APPS))
        .containsPattern("served\\s+gpt-4o\\s+azure\\s+True\\s+Serving");
    Service alias = admin.services().inNamespace(APPS).withName("served").get();
    assertThat(alias.getSpec().getType()).isEqualTo("ExternalName");
    assertThat(alias.getSpec().getExternalName())
        .as("the endpoint Service leads to the gateway Service the chart installs")
        .isEqualTo("crosswind-gateway." + RELEASE_NS + ".svc.cluster.local");
    assertThat(admin.services().inNamespace(RELEASE_NS).withName("crosswind-gateway").get())
        .isNotNull();
    Map<String, String> env =
        data(admin.secrets().inNamespace(APPS).withName("served-endpoint").get());
    assertThat(env.get("OPENAI_BASE_URL"))
        .isEqualTo("http://served." + APPS + ".svc.cluster.local/v1");
    assertThat(env.get("OPENAI_API_KEY")).startsWith("cw-");
    assertThat(routeTable("served")).isNotNull();
    assertThat(
            cluster.kubectl(
                "get", "events", "-n", APPS, "--field-selector", "involvedObject.name=served"))
        .as("the chart's RBAC lets the operator record events")
        .contains("DeploymentCreating")
        .contains("Serving");
    assertThat(ArgoCdHealth.modelEndpoint().of(live("ModelEndpoint", "served")).status())
        .isEqualTo("Healthy");
    cluster.kubectl("delete", "mep", "served", "-n", APPS, "--timeout=60s");

    assertThat(ready("served")).isEmpty();
    assertThat(admin.secrets().inNamespace(APPS).withName("served-endpoint").get()).isNull();
    assertThat(admin.services().inNamespace(APPS).withName("served").get()).isNull();
    assertThat(routeTable("served")).isNull();
  }

  @Test
  @Order(6)
  void argoCdSeesNoDriftAfterTheOperatorHasReconciledWhatDocsGitopsSyncs() throws IOException {
    Path file = work.resolve("gitops.yaml");
    Files.writeString(file, documented("docs/gitops.md", "sync-waves"));
    String manager = "--field-manager=argocd-controller";
    cluster.kubectl("apply", "--server-side", manager, "-n", APPS, "-f", file.toString());
    awaitReason("fraud-reasoner", "Serving", Duration.ofSeconds(60));
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              assertThat(
                      ArgoCdHealth.routingPolicy().of(live("RoutingPolicy", "aws-first")).status())
                  .isEqualTo("Healthy");
              // Healthy on Bedrock, the first choice; Degraded while Azure, if it was ready
              // first, serves until the failback window has passed.
              JsonNode endpoint = live("ModelEndpoint", "fraud-reasoner");
              boolean fallback =
                  !"bedrock-use1".equals(endpoint.at("/status/activeTarget").asText());
              assertThat(ArgoCdHealth.modelEndpoint().of(endpoint).status())
                  .isEqualTo(fallback ? "Degraded" : "Healthy");
            });

    // What Argo CD's server-side diff does; kubectl diff exits 1 (and this fails) on a difference.
    cluster.kubectl("diff", "--server-side", manager, "-n", APPS, "-f", file.toString());
    assertThat(live("ModelEndpoint", "fraud-reasoner").at("/metadata/generation").asLong())
        .isEqualTo(1);
    assertThat(live("RoutingPolicy", "aws-first").at("/metadata/generation").asLong()).isEqualTo(1);
  }

  @Test
  @Order(7)
  void theOperatorsIdentityIsRefusedSecretsItDoesNotOwn() {
    for (Runnable read :
        List.<Runnable>of(
            () -> asOperator.secrets().inNamespace(APPS).withName("someone-elses").get(),
            () -> asOperator.secrets().inNamespace(APPS).list(),
            () -> asOperator.secrets().inAnyNamespace().list(),
            () -> asOperator.configMaps().inNamespace(APPS).list(),
            () ->
                asOperator
                    .configMaps()
                    .inNamespace(RELEASE_NS)
                    .resource(
                        new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("x")
                            .endMetadata()
                            .build())
                    .create())) {
      assertThat(catchThrowableOfType(KubernetesClientException.class, read::run).getCode())
          .isEqualTo(403);
    }
    assertThat(asOperator.secrets().inNamespace(RELEASE_NS).list().getItems()).isNotNull();
    assertThat(asOperator.configMaps().inNamespace(RELEASE_NS).list().getItems())
        .as("the gateway's circuit reports")
        .isNotNull();
  }

  @Test
  @Order(8)
  void theGatewayMayReadRouteTablesAndNothingElse() {
    try (KubernetesClient gateway = cluster.clientFor(RELEASE_NS, GATEWAY_SA)) {
      assertThat(gateway.secrets().inNamespace(ROUTES_NS).list().getItems())
          .as("everything it may read: the route tables, in their own namespace")
          .extracting(s -> s.getMetadata().getName())
          .allMatch(n -> n.startsWith("crosswind-routes-"));
      for (Runnable forbidden :
          List.<Runnable>of(
              () -> gateway.secrets().inNamespace(APPS).withName("azure-sp").get(),
              () -> gateway.secrets().inAnyNamespace().list(),
              // the release's own Secrets (Helm's release records among them)
              () -> gateway.secrets().inNamespace(RELEASE_NS).list(),
              () ->
                  gateway
                      .secrets()
                      .inNamespace(ROUTES_NS)
                      .resource(
                          new SecretBuilder().withNewMetadata().withName("x").endMetadata().build())
                      .create(),
              () ->
                  gateway
                      .secrets()
                      .inNamespace(RELEASE_NS)
                      .resource(
                          new SecretBuilder().withNewMetadata().withName("x").endMetadata().build())
                      .create(),
              () -> gateway.configMaps().inNamespace(RELEASE_NS).list(),
              () -> gateway.configMaps().inNamespace(APPS).withName("x").get(),
              () -> gateway.configMaps().inNamespace(RELEASE_NS).withName(CA_CONFIGMAP).get(),
              () -> gateway.services().inNamespace(RELEASE_NS).list(),
              () -> gateway.resources(ModelEndpoint.class).inNamespace(APPS).list())) {
        assertThat(catchThrowableOfType(KubernetesClientException.class, forbidden::run).getCode())
            .isEqualTo(403);
      }
      // Its circuit report, as CircuitReporter writes and removes it.
      ConfigMap report =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName("crosswind-gateway-circuits-gw-0")
              .withLabels(Map.of("app.kubernetes.io/component", "gateway-circuits"))
              .endMetadata()
              .withData(Map.of("circuits.json", "{\"circuits\": []}"))
              .build();
      gateway
          .configMaps()
          .inNamespace(RELEASE_NS)
          .resource(report)
          .fieldManager("crosswind-gateway")
          .forceConflicts()
          .serverSideApply();
      assertThat(
              catchThrowableOfType(
                      KubernetesClientException.class,
                      () ->
                          gateway
                              .configMaps()
                              .inNamespace(RELEASE_NS)
                              .withName("crosswind-gateway-circuits-gw-0")
                              .delete())
                  .getCode())
          .as("it may not remove a ConfigMap, its own report included")
          .isEqualTo(403);
      admin
          .configMaps()
          .inNamespace(RELEASE_NS)
          .withName("crosswind-gateway-circuits-gw-0")
          .delete();
    }
  }

  @Test
  @Order(9)
  void aStandbyReplicaIsLiveAndReadyWhileTheLeaderHoldsTheLease() throws Exception {
    // The chart runs two replicas behind /healthz (liveness) and /readyz (readiness): a standby
    // that failed either would be restarted forever, or stall every rolling update.
    try (KubernetesClient standbyClient = cluster.clientFor(RELEASE_NS, OPERATOR_SA);
        CrosswindOperator standby = startOperator(STANDBY, standbyClient)) {
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(leaseHolder()).isEqualTo(LEADER);
                for (int port : List.of(operator.opsPort(), standby.opsPort())) {
                  assertThat(probe(port, "/healthz")).isEqualTo(200);
                  assertThat(probe(port, "/readyz")).isEqualTo(200);
                }
              });
    }
  }

  static String leaseHolder() {
    return admin
        .leases()
        .inNamespace(RELEASE_NS)
        .withName("crosswind-operator")
        .get()
        .getSpec()
        .getHolderIdentity();
  }

  static int probe(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  @Order(100)
  void theEndpointWhoseSecretWasGrantedBecomesReady() {
    awaitReason("granted", "Serving", Duration.ofSeconds(90));
    assertThat(ArgoCdHealth.modelEndpoint().of(live("ModelEndpoint", "granted")).status())
        .isEqualTo("Healthy");
  }

  /** The helm binary that e2e/control-plane/build.sh built. */
  static final class Helm {
    private Helm() {}

    static Path binary() throws IOException {
      try (Stream<String> lines =
          Files.lines(Resources.root().resolve("e2e/control-plane/versions.env"))) {
        String version =
            lines
                .filter(l -> l.startsWith("HELM_VERSION="))
                .map(l -> l.substring("HELM_VERSION=".length()).trim())
                .findFirst()
                .orElseThrow();
        return RealCluster.cacheDir()
            .resolve("control-plane/helm")
            .resolve(version)
            .resolve("helm");
      }
    }

    /** Runs helm offline: no repositories, no cluster; returns what it printed. */
    static String run(String... args) {
      try {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(List.of(args));
        Path home = Files.createDirectories(work.resolve("helm-home"));
        return ControlPlane.run(
            command,
            Map.of(
                "HELM_CACHE_HOME", home.resolve("cache").toString(),
                "HELM_CONFIG_HOME", home.resolve("config").toString(),
                "HELM_DATA_HOME", home.resolve("data").toString(),
                "KUBECONFIG", "/dev/null"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
