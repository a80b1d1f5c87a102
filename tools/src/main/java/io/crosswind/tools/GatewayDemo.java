package io.crosswind.tools;

import io.crosswind.e2e.ControlPlane;
import io.crosswind.operator.publish.PublishedNames;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The demo's application: chat completions through the gateway with the endpoint Secret. */
final class GatewayDemo {

  private static final Pattern CONTENT = Pattern.compile("\"content\":\"([^\"]*)\"");
  private final KubernetesClient client;
  private final int port;
  private final String namespace;
  private final String endpoint;
  private final HttpClient http = HttpClient.newHttpClient();

  GatewayDemo(ControlPlane cluster, int port, String namespace, String endpoint) {
    this.client = cluster.adminClient();
    this.port = port;
    this.namespace = namespace;
    this.endpoint = endpoint;
  }

  private Map<String, String> env() {
    Secret s =
        client
            .secrets()
            .inNamespace(namespace)
            .withName(PublishedNames.endpointSecret(endpoint))
            .get();
    return s.getData().entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e -> new String(Base64.getDecoder().decode(e.getValue()), StandardCharsets.UTF_8)));
  }

  private String body(Map<String, String> env) {
    return "{\"model\":\""
        + env.get("OPENAI_MODEL")
        + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  }

  /** One request; the answer's status and text. */
  String chat() throws Exception {
    Map<String, String> env = env();
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + env.get("OPENAI_API_KEY"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(env)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m = CONTENT.matcher(answer.body());
    return "  " + answer.statusCode() + "  " + (m.find() ? m.group(1) : answer.body());
  }

  /** The same request as a person types it. */
  String curl() {
    Map<String, String> env = env();
    return "curl -s http://127.0.0.1:"
        + port
        + "/v1/chat/completions -H 'Authorization: Bearer "
        + env.get("OPENAI_API_KEY")
        + "' -H 'Content-Type: application/json' -d '"
        + body(env)
        + "'";
  }
}
