package io.crosswind.wire;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the gateway needs to serve one ModelEndpoint, as the operator publishes it ({@code
 * routes.json} in the Secret {@link RouteTableSecret#name}); docs/route-table.md is its page.
 * Format {@value #FORMAT}: within a format the writer may only add fields, and the reader ignores
 * what it does not know. The operator's own bookkeeping (resource ids, the targets' specs, when a
 * credential was published) is not part of it.
 *
 * @param format the version of this format
 * @param namespace the endpoint's namespace
 * @param name the endpoint's name
 * @param model the logical model applications send
 * @param strategy how traffic is spread over the routes
 * @param active the operator's chosen target, null while none can serve
 * @param endpointKeySha256 the SHA-256 (lower-case hex, see {@link EndpointKeys}) of the endpoint
 *     key; null for an endpoint in Direct mode, which the gateway does not serve
 * @param previousEndpointKeySha256 after a rotation, the hash of the key it replaced
 * @param previousEndpointKeyUntil until when that previous key is still accepted
 * @param routes one per target, in the policy's order of preference
 */
@JsonPropertyOrder({
  "format",
  "namespace",
  "name",
  "model",
  "strategy",
  "active",
  "endpointKeySha256",
  "previousEndpointKeySha256",
  "previousEndpointKeyUntil",
  "routes"
})
public record RouteTable(
    int format,
    String namespace,
    String name,
    String model,
    Strategy strategy,
    String active,
    String endpointKeySha256,
    String previousEndpointKeySha256,
    Instant previousEndpointKeyUntil,
    List<Route> routes) {

  public static final int FORMAT = 1;

  public RouteTable {
    routes = routes == null ? List.of() : List.copyOf(routes);
  }

  /** True for an endpoint in Direct mode: applications call its cloud, not the gateway. */
  @JsonIgnore
  public boolean direct() {
    return endpointKeySha256 == null;
  }

  /** {@code namespace/name}: how logs and metrics name the endpoint. */
  @JsonIgnore
  public String id() {
    return namespace + "/" + name;
  }

  @JsonIgnore
  public boolean weighted() {
    return strategy == Strategy.Weighted;
  }

  public Optional<Route> route(String target) {
    return routes.stream().filter(r -> r.target().equals(target)).findFirst();
  }

  /** How traffic is spread; a value this reader does not know counts as {@link #Failover}. */
  public enum Strategy {
    /** The active target first, then the others by priority. */
    @JsonEnumDefaultValue
    Failover,
    /** A weighted choice among the routes that can serve. */
    Weighted
  }

  /** The cloud behind a route; for logs only. */
  public enum Provider {
    Bedrock,
    AzureOpenAI,
    @JsonEnumDefaultValue
    Unknown
  }

  /** A target's provisioning state: only {@link #Ready} targets get traffic. */
  public enum State {
    Pending,
    Provisioning,
    Ready,
    Failed,
    Deleting,
    @JsonEnumDefaultValue
    Unknown
  }

  /** What the operator's probes say of a target. */
  public enum Health {
    Healthy,
    Throttled,
    Unhealthy,
    @JsonEnumDefaultValue
    Unknown
  }

  /** The API a route's upstream speaks. */
  public enum Api {
    /** OpenAI Chat Completions and Responses under the route's {@code url} (ending in /v1). */
    OPENAI,
    /** Bedrock Converse and ConverseStream under the runtime endpoint; chat completions only. */
    BEDROCK_CONVERSE,
    /** One this reader does not know: the route is never tried. */
    @JsonEnumDefaultValue
    UNSUPPORTED
  }

  /** How a credential is sent upstream. */
  public enum Scheme {
    /** {@code api-key: <value>} (Azure OpenAI). */
    API_KEY_HEADER,
    /** {@code Authorization: Bearer <value>} (Bedrock API keys). */
    BEARER,
    /** One this reader does not know: the route is never tried. */
    @JsonEnumDefaultValue
    UNSUPPORTED
  }

  /**
   * One target as the gateway sees it.
   *
   * @param target the target's name, unique in the endpoint
   * @param provider the cloud, for logs
   * @param state only {@link State#Ready} routes get traffic
   * @param health {@link Health#Unhealthy} routes are tried after the others
   * @param api what the upstream speaks
   * @param url the OpenAI-compatible base URL (ending in /v1), or the Bedrock runtime endpoint
   * @param upstreamModel what to send upstream as the model (deployment name, model id or ARN)
   * @param region the region that serves it
   * @param priority lower is preferred
   * @param weight the share of traffic under {@link Strategy#Weighted}
   * @param credential the data-plane credential
   */
  @JsonPropertyOrder({
    "target",
    "provider",
    "state",
    "health",
    "api",
    "url",
    "upstreamModel",
    "region",
    "priority",
    "weight",
    "credential"
  })
  public record Route(
      String target,
      Provider provider,
      State state,
      Health health,
      Api api,
      String url,
      String upstreamModel,
      String region,
      Integer priority,
      Integer weight,
      Credential credential) {

    @JsonIgnore
    public boolean ready() {
      return state == State.Ready;
    }

    @JsonIgnore
    public boolean converse() {
      return api == Api.BEDROCK_CONVERSE;
    }

    @JsonIgnore
    public boolean unhealthy() {
      return health == Health.Unhealthy;
    }

    @JsonIgnore
    public boolean degraded() {
      return health == Health.Unhealthy || health == Health.Throttled;
    }

    /**
     * Whether the gateway may send traffic to it at all: ready, with an upstream it can speak to
     * and a credential it knows how to send that has not expired.
     */
    public boolean servable(Instant now) {
      return ready()
          && url != null
          && upstreamModel != null
          && (api == Api.OPENAI || api == Api.BEDROCK_CONVERSE)
          && credential != null
          && credential.usable(now);
    }

    public int priorityOr(int fallback) {
      return priority == null ? fallback : priority;
    }

    public int weightOrZero() {
      return weight == null ? 0 : Math.max(0, weight);
    }
  }

  /**
   * A data-plane credential; the value is secret and left out of {@link #toString()}.
   *
   * @param scheme how it is sent upstream
   * @param value the secret
   * @param expiresAt when it stops working, null when it does not expire; an expired credential
   *     takes its route out of rotation until the operator publishes a new one
   */
  @JsonPropertyOrder({"scheme", "value", "expiresAt"})
  public record Credential(Scheme scheme, String value, Instant expiresAt) {

    public boolean expired(Instant now) {
      return expiresAt != null && !expiresAt.isAfter(now);
    }

    /** Sendable now: a scheme this reader knows, a value, and not expired. */
    public boolean usable(Instant now) {
      return value != null
          && (scheme == Scheme.API_KEY_HEADER || scheme == Scheme.BEARER)
          && !expired(now);
    }

    @Override
    public String toString() {
      return "Credential[scheme=" + scheme + ", expiresAt=" + expiresAt + ", value=<redacted>]";
    }
  }
}
