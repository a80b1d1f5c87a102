package io.crosswind.gateway;

import io.crosswind.wire.EndpointKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Route tables for tests, in the operator's format (docs/route-table.md). */
final class Routes {

  private Routes() {}

  static JsonObject table(
      String namespace,
      String name,
      String model,
      String strategy,
      String active,
      String endpointKey,
      JsonObject... routes) {
    JsonObject table =
        new JsonObject()
            .put("format", 1)
            .put("namespace", namespace)
            .put("name", name)
            .put("model", model)
            .put("strategy", strategy)
            .put("endpointKeySha256", EndpointKeys.sha256Hex(endpointKey))
            .put("routes", new JsonArray(java.util.List.of((Object[]) routes)));
    if (active != null) {
      table.put("active", active);
    }
    return table;
  }

  static JsonObject azure(String target, TestClouds.AzureDeployment d, int priority, int weight) {
    return route(target, "AzureOpenAI", "OPENAI", d.url(), d.deployment(), priority, weight)
        .put(
            "credential",
            new JsonObject()
                .put("name", "key1")
                .put("scheme", "API_KEY_HEADER")
                .put("value", d.key()));
  }

  static JsonObject bedrock(
      String target, String runtime, String model, String key, int priority, int weight) {
    return bedrockRoute(target, "OPENAI", runtime + "/openai/v1", model, key, priority, weight);
  }

  static JsonObject converse(
      String target, String runtime, String model, String key, int priority, int weight) {
    return bedrockRoute(target, "BEDROCK_CONVERSE", runtime, model, key, priority, weight);
  }

  private static JsonObject bedrockRoute(
      String target, String api, String url, String model, String key, int priority, int weight) {
    return route(target, "Bedrock", api, url, model, priority, weight)
        .put("region", TestClouds.REGION)
        .put(
            "credential",
            new JsonObject()
                .put("name", "bedrock-api-key")
                .put("scheme", "BEARER")
                .put("value", key)
                .put("expiresAt", java.time.Instant.now().plusSeconds(3600).toString()));
  }

  private static JsonObject route(
      String target,
      String provider,
      String api,
      String url,
      String model,
      int priority,
      int weight) {
    return new JsonObject()
        .put("target", target)
        .put("provider", provider)
        .put("state", "Ready")
        .put("health", "Healthy")
        .put("api", api)
        .put("url", url)
        .put("upstreamModel", model)
        .put("priority", priority)
        .put("weight", weight)
        // What newer operators may add: a tolerant reader ignores it.
        .put("resourceId", "ignored-by-the-gateway");
  }
}
