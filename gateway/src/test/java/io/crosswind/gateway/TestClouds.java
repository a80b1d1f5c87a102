package io.crosswind.gateway;

import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.bedrock.BedrockTokenGenerator;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Cloud-side set-up through the simulators' public APIs, as the operator would do it: an Azure
 * OpenAI account and deployment over ARM (REST, with an Entra token), and a Bedrock API key.
 */
public final class TestClouds {

  public static final String REGION = "us-east-1";
  public static final String GPT_OSS = "openai.gpt-oss-120b-1:0";
  public static final String SONNET = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

  /** An Azure OpenAI deployment's v1 base URL, account key and deployment name. */
  public record AzureDeployment(String account, String url, String key, String deployment) {}

  private TestClouds() {}

  public static HttpClient https(Simulators sim) {
    return HttpClient.newBuilder()
        .sslContext(sim.certificates().clientSslContext())
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  public static String bedrockKey(Simulators sim) {
    return bedrockKey(sim.describe(null));
  }

  /** A Bedrock API key from the test credentials in the simulators' description. */
  public static String bedrockKey(JsonObject simulators) {
    JsonObject aws = simulators.getJsonObject("aws");
    return BedrockTokenGenerator.mint(
        AwsCredentialsIdentity.create(
            aws.getString("accessKeyId"), aws.getString("secretAccessKey")),
        REGION,
        Duration.ofHours(1));
  }

  /** Creates an account and a gpt-4o deployment in the resource group, and waits for them. */
  public static AzureDeployment azure(Simulators sim, String resourceGroup, String account)
      throws IOException, InterruptedException {
    sim.createResourceGroup(resourceGroup);
    return azure(https(sim), sim.describe(null), resourceGroup, account);
  }

  /**
   * The same over HTTP only, for simulators in another process: {@code simulators} is their
   * description ({@code GET /admin/endpoints}); the resource group must exist.
   */
  public static AzureDeployment azure(
      HttpClient http, JsonObject simulators, String resourceGroup, String account)
      throws IOException, InterruptedException {
    JsonObject azure = simulators.getJsonObject("azure");
    String form =
        "grant_type=client_credentials&client_id="
            + azure.getString("clientId")
            + "&client_secret="
            + URLEncoder.encode(azure.getString("clientSecret"), StandardCharsets.UTF_8)
            + "&scope="
            + URLEncoder.encode("https://management.azure.com/.default", StandardCharsets.UTF_8);
    JsonObject token =
        send(
            http,
            HttpRequest.newBuilder(
                    URI.create(
                        azure.getString("authorityHost")
                            + azure.getString("tenantId")
                            + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
    String bearer = "Bearer " + token.getString("access_token");
    String base =
        azure.getString("resourceManagerEndpoint")
            + "subscriptions/"
            + azure.getString("subscriptionId")
            + "/resourceGroups/"
            + resourceGroup
            + "/providers/Microsoft.CognitiveServices/accounts/"
            + account;
    String version = "?api-version=2024-10-01";
    send(
        http,
        put(
            base + version,
            bearer,
            new JsonObject()
                .put("location", "eastus2")
                .put("kind", "OpenAI")
                .put("sku", new JsonObject().put("name", "S0"))
                .put("properties", new JsonObject().put("customSubDomainName", account))));
    awaitSucceeded(http, base + version, bearer);
    String deployment = "gpt4o";
    send(
        http,
        put(
            base + "/deployments/" + deployment + version,
            bearer,
            new JsonObject()
                .put("sku", new JsonObject().put("name", "GlobalStandard").put("capacity", 1000))
                .put(
                    "properties",
                    new JsonObject()
                        .put(
                            "model",
                            new JsonObject().put("format", "OpenAI").put("name", "gpt-4o")))));
    awaitSucceeded(http, base + "/deployments/" + deployment + version, bearer);
    JsonObject keys =
        send(
            http,
            HttpRequest.newBuilder(URI.create(base + "/listKeys" + version))
                .header("Authorization", bearer)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    JsonObject described =
        send(
            http,
            HttpRequest.newBuilder(URI.create(base + version))
                .header("Authorization", bearer)
                .build());
    String endpoint = described.getJsonObject("properties").getString("endpoint");
    String url = (endpoint.endsWith("/") ? endpoint : endpoint + "/") + "openai/v1";
    return new AzureDeployment(account, url, keys.getString("key1"), deployment);
  }

  private static void awaitSucceeded(HttpClient http, String url, String bearer)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < end) {
      JsonObject resource =
          send(
              http,
              HttpRequest.newBuilder(URI.create(url)).header("Authorization", bearer).build());
      String state = resource.getJsonObject("properties").getString("provisioningState");
      if ("Succeeded".equals(state)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(url + " did not succeed in time");
  }

  private static HttpRequest put(String url, String bearer, JsonObject body) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", bearer)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body.encode()))
        .build();
  }

  private static JsonObject send(HttpClient http, HttpRequest request)
      throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(
          request.method()
              + " "
              + request.uri()
              + ": "
              + response.statusCode()
              + " "
              + response.body());
    }
    return new JsonObject(response.body());
  }

  /** A chat completion request with one user message, as an OpenAI SDK sends it. */
  public static io.vertx.core.json.JsonObject chat(String model, String text) {
    return new io.vertx.core.json.JsonObject()
        .put("model", model)
        .put("max_tokens", 200)
        .put(
            "messages",
            new io.vertx.core.json.JsonArray()
                .add(new io.vertx.core.json.JsonObject().put("role", "user").put("content", text)));
  }
}
