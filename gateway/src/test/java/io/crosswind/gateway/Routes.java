package io.crosswind.gateway;

import io.crosswind.wire.EndpointKeys;
import io.crosswind.wire.RouteTable;
import io.crosswind.wire.RouteTable.Api;
import io.crosswind.wire.RouteTable.Credential;
import io.crosswind.wire.RouteTable.Health;
import io.crosswind.wire.RouteTable.Provider;
import io.crosswind.wire.RouteTable.Route;
import io.crosswind.wire.RouteTable.Scheme;
import io.crosswind.wire.RouteTable.State;
import io.crosswind.wire.RouteTable.Strategy;
import java.time.Instant;
import java.util.List;

/**
 * Route tables for tests, built from the wire module's records (docs/route-table.md), so that a
 * change to the contract breaks these tests at compile time. They hold no field the gateway does
 * not know: the reader's tolerance of unknown fields is tested in wire's RouteTablesTest.
 */
public final class Routes {

  private Routes() {}

  public static RouteTable table(
      String namespace,
      String name,
      String model,
      Strategy strategy,
      String active,
      String endpointKey,
      Route... routes) {
    return new RouteTable(
        RouteTable.FORMAT,
        namespace,
        name,
        model,
        strategy,
        active,
        EndpointKeys.sha256Hex(endpointKey),
        null,
        null,
        List.of(routes));
  }

  /** The same table as another endpoint: another name and endpoint key, the same routes. */
  public static RouteTable renamed(RouteTable table, String name, String endpointKey) {
    return new RouteTable(
        table.format(),
        table.namespace(),
        name,
        table.model(),
        table.strategy(),
        table.active(),
        EndpointKeys.sha256Hex(endpointKey),
        table.previousEndpointKeySha256(),
        table.previousEndpointKeyUntil(),
        table.routes());
  }

  public static Route azure(String target, TestClouds.AzureDeployment d, int priority, int weight) {
    return route(
        target,
        Provider.AzureOpenAI,
        Api.OPENAI,
        d.url(),
        d.deployment(),
        null,
        priority,
        weight,
        new Credential(Scheme.API_KEY_HEADER, d.key(), null));
  }

  public static Route bedrock(
      String target, String runtime, String model, String key, int priority, int weight) {
    return bedrockRoute(target, Api.OPENAI, runtime + "/openai/v1", model, key, priority, weight);
  }

  /** A target on Bedrock's mantle endpoint (OpenAI-compatible, at {@code <mantle>/v1}). */
  public static Route mantle(
      String target, String mantle, String model, String key, int priority, int weight) {
    return bedrockRoute(target, Api.OPENAI, mantle + "/v1", model, key, priority, weight);
  }

  public static Route converse(
      String target, String runtime, String model, String key, int priority, int weight) {
    return bedrockRoute(target, Api.BEDROCK_CONVERSE, runtime, model, key, priority, weight);
  }

  private static Route bedrockRoute(
      String target, Api api, String url, String model, String key, int priority, int weight) {
    return route(
        target,
        Provider.Bedrock,
        api,
        url,
        model,
        TestClouds.REGION,
        priority,
        weight,
        new Credential(Scheme.BEARER, key, Instant.now().plusSeconds(3600)));
  }

  /** A route that is ready and healthy. */
  private static Route route(
      String target,
      Provider provider,
      Api api,
      String url,
      String model,
      String region,
      int priority,
      int weight,
      Credential credential) {
    return new Route(
        target,
        provider,
        State.Ready,
        Health.Healthy,
        api,
        url,
        model,
        region,
        priority,
        weight,
        credential);
  }
}
