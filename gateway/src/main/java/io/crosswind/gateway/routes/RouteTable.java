package io.crosswind.gateway.routes;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One endpoint's route table as the operator publishes it ({@code routes.json});
 * docs/route-table.md is the contract. A tolerant reader: fields it does not know are ignored, so
 * the operator may add some without a gateway release. Only format {@value #FORMAT} is understood.
 *
 * @param format the version of the format
 * @param namespace the endpoint's namespace
 * @param name the endpoint's name
 * @param model the logical model applications send
 * @param strategy {@code Failover} or {@code Weighted}
 * @param active the operator's chosen target, null while none can serve
 * @param endpointKeySha256 the SHA-256 (lower-case hex) of the endpoint key; null for an endpoint
 *     in Direct mode, which the gateway does not serve
 * @param previousEndpointKeySha256 after a rotation, the hash of the key it replaced
 * @param previousEndpointKeyUntil until when that previous key is still accepted
 * @param routes the targets, in the policy's order of preference
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RouteTable(
    int format,
    String namespace,
    String name,
    String model,
    String strategy,
    String active,
    String endpointKeySha256,
    String previousEndpointKeySha256,
    Instant previousEndpointKeyUntil,
    List<Route> routes) {

  public static final int FORMAT = 1;

  /** A table without the rotation fields, as tests write them. */
  public RouteTable(
      int format,
      String namespace,
      String name,
      String model,
      String strategy,
      String active,
      String endpointKeySha256,
      List<Route> routes) {
    this(format, namespace, name, model, strategy, active, endpointKeySha256, null, null, routes);
  }

  /** True for an endpoint in Direct mode: applications call its cloud, not the gateway. */
  public boolean direct() {
    return endpointKeySha256 == null;
  }

  public RouteTable {
    routes = routes == null ? List.of() : List.copyOf(routes);
  }

  /** {@code namespace/name}: how logs and metrics name the endpoint. */
  public String id() {
    return namespace + "/" + name;
  }

  public boolean weighted() {
    return "Weighted".equalsIgnoreCase(strategy);
  }

  public Optional<Route> route(String target) {
    return routes.stream().filter(r -> r.target().equals(target)).findFirst();
  }

  /**
   * One target.
   *
   * @param target the target's name, unique in the endpoint
   * @param provider {@code Bedrock} or {@code AzureOpenAI}
   * @param state Ready, Provisioning, Failed, Deleting, ...: only Ready targets get traffic
   * @param health Healthy, Throttled, Unhealthy or Unknown, from the operator's probes
   * @param api {@code OPENAI} or {@code BEDROCK_CONVERSE}
   * @param url the OpenAI-compatible base URL (ending in /v1), or the Bedrock runtime endpoint
   * @param upstreamModel what to send upstream as the model
   * @param region the region that serves it
   * @param priority lower is preferred
   * @param weight the share of traffic under Weighted
   * @param credential the data-plane credential
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Route(
      String target,
      String provider,
      String state,
      String health,
      String api,
      String url,
      String upstreamModel,
      String region,
      Integer priority,
      Integer weight,
      Credential credential) {

    public static final String OPENAI = "OPENAI";
    public static final String BEDROCK_CONVERSE = "BEDROCK_CONVERSE";

    public boolean ready() {
      return "Ready".equals(state);
    }

    public boolean converse() {
      return BEDROCK_CONVERSE.equals(api);
    }

    /** Whether the gateway can send traffic to it at all: ready, with an upstream and a key. */
    public boolean servable(Instant now) {
      return ready()
          && url != null
          && upstreamModel != null
          && (OPENAI.equals(api) || BEDROCK_CONVERSE.equals(api))
          && credential != null
          && credential.value() != null
          && !credential.expired(now);
    }

    public int priorityOr(int fallback) {
      return priority == null ? fallback : priority;
    }

    public int weightOrZero() {
      return weight == null ? 0 : Math.max(0, weight);
    }

    public boolean degraded() {
      return "Unhealthy".equals(health) || "Throttled".equals(health);
    }
  }

  /**
   * A data-plane credential; the value is secret and left out of {@link #toString()}.
   *
   * @param name which credential (key1, key2, bedrock-api-key)
   * @param scheme {@code API_KEY_HEADER} (the {@code api-key} header) or {@code BEARER}
   * @param value the secret
   * @param expiresAt when it stops working (ISO-8601), null when it does not expire
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Credential(String name, String scheme, String value, String expiresAt) {

    public static final String API_KEY_HEADER = "API_KEY_HEADER";
    public static final String BEARER = "BEARER";

    public boolean expired(Instant now) {
      if (expiresAt == null || expiresAt.isBlank()) {
        return false;
      }
      try {
        return !Instant.parse(expiresAt).isAfter(now);
      } catch (java.time.format.DateTimeParseException e) {
        return false;
      }
    }

    @Override
    public String toString() {
      return "Credential[name=" + name + ", scheme=" + scheme + ", value=<redacted>]";
    }
  }
}
