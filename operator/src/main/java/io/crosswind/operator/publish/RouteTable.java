package io.crosswind.operator.publish;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.crosswind.api.v1alpha1.Target;
import io.crosswind.operator.cloud.Credential;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the gateway needs to serve one ModelEndpoint, kept as {@code routes.json} in a Secret in the
 * operator's namespace (the only place cloud credentials live): every target with its upstream,
 * credential, state and weight, and the active one. Format version {@value #FORMAT};
 * docs/route-table.md describes it.
 *
 * @param format the version of this format
 * @param namespace the endpoint's namespace
 * @param name the endpoint's name
 * @param model the logical model applications send
 * @param strategy Failover or Weighted
 * @param active the target that serves now, null while none can
 * @param activeSince when the active target began to serve (RFC 3339)
 * @param endpointKeySha256 the SHA-256 (hex) of the endpoint key the gateway accepts
 * @param previousEndpointKeySha256 after a rotation, the hash of the key it replaced
 * @param previousEndpointKeyUntil until when the gateway accepts that previous key (RFC 3339)
 * @param routes one entry per target, in the policy's order of preference
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RouteTable(
    int format,
    String namespace,
    String name,
    String model,
    String strategy,
    String active,
    String activeSince,
    String endpointKeySha256,
    String previousEndpointKeySha256,
    String previousEndpointKeyUntil,
    List<Route> routes) {

  public static final int FORMAT = 1;
  public static final RouteTable EMPTY =
      new RouteTable(FORMAT, null, null, null, null, null, null, null, null, null, null);

  public RouteTable {
    routes = routes == null ? List.of() : List.copyOf(routes);
  }

  public Optional<Route> route(String target) {
    return routes.stream().filter(r -> r.target().equals(target)).findFirst();
  }

  /**
   * One target as the gateway sees it.
   *
   * @param target the target's name
   * @param provider Bedrock or AzureOpenAI
   * @param state the target's provisioning state (Ready, Provisioning, Failed, ...)
   * @param health what the probes say (Healthy, Throttled, Unhealthy, Unknown)
   * @param api OPENAI or BEDROCK_CONVERSE
   * @param url the upstream's base URL
   * @param upstreamModel what to send as model upstream (deployment name, model id, profile ARN)
   * @param region the region that serves it
   * @param priority lower is preferred
   * @param weight the share of traffic under a Weighted policy
   * @param credential the data-plane credential, secret
   * @param resourceId the cloud resource Crosswind made or uses for the target, null while it has
   *     made none (then deleting the endpoint has nothing to remove for it)
   * @param spec the target's spec when its resources were made, so that a target removed from the
   *     endpoint can still be cleaned up
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
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
      RouteCredential credential,
      String resourceId,
      Target spec) {}

  /** A credential in the route table; its value is secret and left out of {@link #toString()}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RouteCredential(
      String name,
      String scheme,
      String value,
      String publishedAt,
      String expiresAt,
      String rotatedFor,
      String pendingRevoke) {
    public static RouteCredential of(Credential c) {
      return c == null
          ? null
          : new RouteCredential(
              c.name(),
              c.scheme().name(),
              c.value(),
              text(c.publishedAt()),
              text(c.expiresAt()),
              c.rotatedFor(),
              c.pendingRevoke());
    }

    public Credential toCredential() {
      return new Credential(
          name,
          value,
          Credential.Scheme.valueOf(scheme),
          instant(publishedAt),
          instant(expiresAt),
          rotatedFor,
          pendingRevoke);
    }

    private static String text(Instant instant) {
      return instant == null ? null : instant.toString();
    }

    private static Instant instant(String text) {
      return text == null ? null : Instant.parse(text);
    }

    @Override
    public String toString() {
      return "RouteCredential[name=" + name + ", expiresAt=" + expiresAt + ", value=<redacted>]";
    }
  }
}
