package io.crosswind.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.wire.RouteTable;
import io.crosswind.wire.RouteTableSecret;
import io.crosswind.wire.RouteTables;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Route tables from the operator's Secrets, through the informer, on the fabric8 mock server: only
 * labelled Secrets of the gateway's namespace count, and a change or a deletion applies at once.
 */
@EnableKubernetesMockClient(crud = true)
class SecretRoutesTest extends GatewayTestBase {

  static final String NAMESPACE = "crosswind-system";
  static KubernetesClient client;
  static CrosswindGateway secrets;
  static RunningGateway api;
  static TestClouds.AzureDeployment azure;

  @BeforeAll
  static void start() throws Exception {
    sim = clouds.get();
    azure = TestClouds.azure(sim, "rg-gw", "gw-secrets");
    // The directory gateway gives the client helpers; the one under test reads Secrets.
    startGateway();
    secrets =
        CrosswindGateway.start(
            GatewayConfig.parse(
                "--address=127.0.0.1",
                "--port=0",
                "--ops-address=127.0.0.1",
                "--ops-port=0",
                "--event-loops=1",
                "--namespace=" + NAMESPACE,
                "--upstream-ca-file=" + dir.resolve("simulators-ca.pem")),
            client);
  }

  @AfterAll
  static void stop() {
    if (secrets != null) {
      secrets.close();
    }
  }

  static Secret secret(String namespace, String name, RouteTable table, boolean labelled) {
    Map<String, String> labels = new HashMap<>(Map.of("app.kubernetes.io/part-of", "crosswind"));
    if (labelled) {
      labels.putAll(RouteTableSecret.SELECTOR);
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .addToData(
            RouteTableSecret.KEY,
            Base64.getEncoder()
                .encodeToString(RouteTables.write(table).getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  static RouteTable table(String key) {
    return Routes.table(
        "apps",
        "from-secret",
        MODEL,
        RouteTable.Strategy.Failover,
        "azure",
        key,
        Routes.azure("azure", azure, 1, 100));
  }

  int ask(String key) {
    return gw.http
        .sendAsync(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        "http://127.0.0.1:" + secrets.port() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key)
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        UpstreamsTest.chat(MODEL, "from a Secret").encode()))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .join()
        .statusCode();
  }

  @Test
  void servesWhatTheLabelledSecretsOfItsNamespaceSay() {
    await().atMost(Duration.ofSeconds(5)).until(secrets::ready);
    client
        .resource(secret(NAMESPACE, "crosswind-routes-apps-from-secret", table("cw-one"), true))
        .create();
    client.resource(secret(NAMESPACE, "unlabelled", table("cw-unlabelled"), false)).create();
    client
        .resource(secret("elsewhere", "crosswind-routes-x", table("cw-elsewhere"), true))
        .create();

    await().atMost(Duration.ofSeconds(2)).until(() -> ask("cw-one") == 200);
    assertThat(ask("cw-unlabelled")).isEqualTo(401);
    assertThat(ask("cw-elsewhere")).isEqualTo(401);

    // The operator rotates the endpoint key: the new one works within a second, the old one stops.
    client
        .resource(secret(NAMESPACE, "crosswind-routes-apps-from-secret", table("cw-two"), true))
        .update();
    await().atMost(Duration.ofSeconds(1)).until(() -> ask("cw-two") == 200);
    assertThat(ask("cw-one")).isEqualTo(401);

    client.secrets().inNamespace(NAMESPACE).withName("crosswind-routes-apps-from-secret").delete();
    await().atMost(Duration.ofSeconds(1)).until(() -> ask("cw-two") == 401);
  }
}
