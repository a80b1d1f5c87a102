package io.crosswind.simulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crosswind.simulators.bedrock.BedrockTokenGenerator;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** The admin API steers the simulators from outside the JVM, as the demo and curl do. */
class AdminApiTest {

  @RegisterExtension static SimulatorsExtension clouds = SimulatorsExtension.withDefaults();

  final HttpClient http = HttpClient.newHttpClient();

  HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void addsAFaultThatTheServicesApplyAndReportsCalls(Simulators sim, @TempDir Path dir)
      throws Exception {
    Path ca = sim.certificates().writeCaPem(dir.resolve("ca.pem"));
    String admin = "http://127.0.0.1:" + sim.startAdminApi(0, ca) + "/admin";

    JsonObject endpoints =
        new JsonObject(send(HttpRequest.newBuilder(URI.create(admin + "/endpoints"))).body());
    assertThat(endpoints.getJsonObject("services").getString("arm"))
        .isEqualTo(sim.endpoint(Service.ARM));
    assertThat(Files.readString(ca)).startsWith("-----BEGIN CERTIFICATE-----");

    HttpResponse<String> added =
        send(
            HttpRequest.newBuilder(URI.create(admin + "/faults"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"service\":\"entra\",\"kind\":\"ERROR\",\"status\":502}")));
    assertThat(added.statusCode()).isEqualTo(201);
    assertThat(sim.faults().active())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo(Fault.Kind.ERROR);
              assertThat(f.status()).isEqualTo(502);
            });

    HttpClient tls =
        HttpClient.newBuilder().sslContext(sim.certificates().clientSslContext()).build();
    HttpResponse<String> failed =
        tls.send(
            HttpRequest.newBuilder(
                    URI.create(sim.endpoint(Service.AZURE_OPENAI) + "/x/openai/v1/models"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(failed.statusCode()).isEqualTo(404);

    HttpResponse<String> badKind =
        send(
            HttpRequest.newBuilder(URI.create(admin + "/faults"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"service\":\"arm\",\"kind\":\"GREMLINS\"}")));
    assertThat(badKind.statusCode()).isEqualTo(400);

    send(HttpRequest.newBuilder(URI.create(admin + "/faults")).DELETE());
    assertThat(sim.faults().active()).isEmpty();
  }

  @Test
  void setsABedrockRuntimeQuota(Simulators sim) throws Exception {
    String admin = "http://127.0.0.1:" + sim.startAdminApi(0, null) + "/admin";
    String model = "openai.gpt-oss-20b-1:0";
    HttpResponse<String> set =
        send(
            HttpRequest.newBuilder(URI.create(admin + "/bedrock/runtime-quotas"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new JsonObject()
                            .put("region", "us-west-2")
                            .put("model", model)
                            .put("requestsPerMinute", 1)
                            .put("tokensPerMinute", 100_000)
                            .encode())));
    String key =
        BedrockTokenGenerator.mint(
            AwsCredentialsIdentity.create(
                sim.credentials().awsAccessKeyId(), sim.credentials().awsSecretAccessKey()),
            "us-west-2",
            Duration.ofMinutes(5));
    HttpClient tls =
        HttpClient.newBuilder().sslContext(sim.certificates().clientSslContext()).build();
    HttpRequest chat =
        HttpRequest.newBuilder(
                URI.create(sim.bedrockRuntimeEndpoint("us-west-2") + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\": \""
                        + model
                        + "\", \"max_tokens\": 10, \"messages\": [{\"role\":"
                        + " \"user\", \"content\": \"hi\"}]}"))
            .build();

    assertThat(set.statusCode()).isEqualTo(204);
    assertThat(tls.send(chat, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    assertThat(tls.send(chat, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(429);
  }

  @Test
  void refusesAndRestoresAServicesPort(Simulators sim) throws Exception {
    String admin = "http://127.0.0.1:" + sim.startAdminApi(0, null) + "/admin/services/";
    HttpClient tls =
        HttpClient.newBuilder().sslContext(sim.certificates().clientSslContext()).build();
    HttpRequest models =
        HttpRequest.newBuilder(
                URI.create(sim.endpoint(Service.AZURE_OPENAI) + "/x/openai/v1/models"))
            .build();

    assertThat(
            send(HttpRequest.newBuilder(URI.create(admin + "azure-openai/refuse"))
                    .POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode())
        .isEqualTo(204);
    assertThatThrownBy(() -> tls.send(models, HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(ConnectException.class);
    assertThat(
            send(HttpRequest.newBuilder(URI.create(admin + "azure-openai/restore"))
                    .POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode())
        .isEqualTo(204);
    assertThat(tls.send(models, HttpResponse.BodyHandlers.discarding()).statusCode())
        .isEqualTo(404);
  }
}
