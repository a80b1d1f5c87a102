package io.crosswind.operator.publish;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.crosswind.api.v1alpha1.Target;
import io.crosswind.operator.cloud.Credential;
import io.crosswind.wire.RouteTable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's record of what it published for one ModelEndpoint: the route table the gateway
 * reads (every target with its upstream, credential, state and weight, and the active one), and
 * beside it the operator's own bookkeeping (when the active target began to serve, the cloud
 * resource and the spec of each target, when each credential was published and for which rotation).
 * The next reconcile starts from it. In the route table's Secret (the operator namespace, the only
 * place cloud credentials live) the two go under separate keys: {@link #toWire()} under {@code
 * routes.json}, the contract the gateway reads and {@code crosswind-wire} defines, and {@link
 * #ledger()} under {@code ledger.json}, which the gateway never reads.
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
public record PublishedTable(
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

  public static final int FORMAT = RouteTable.FORMAT;
  public static final PublishedTable EMPTY =
      new PublishedTable(FORMAT, null, null, null, null, null, null, null, null, null, null);

  public PublishedTable {
    routes = routes == null ? List.of() : List.copyOf(routes);
  }

  public Optional<Route> route(String target) {
    return routes.stream().filter(r -> r.target().equals(target)).findFirst();
  }

  /** The route table as the gateway reads it: this record without the operator's bookkeeping. */
  public RouteTable toWire() {
    return new RouteTable(
        format,
        namespace,
        name,
        model,
        strategy == null ? null : RouteTable.Strategy.valueOf(strategy),
        active,
        endpointKeySha256,
        previousEndpointKeySha256,
        instant(previousEndpointKeyUntil),
        routes.stream().map(Route::toWire).toList());
  }

  /** The operator's bookkeeping, kept beside the route table. */
  public RouteLedger ledger() {
    Map<String, RouteLedger.Entry> targets = new LinkedHashMap<>();
    for (Route r : routes) {
      RouteCredential c = r.credential();
      targets.put(
          r.target(),
          new RouteLedger.Entry(
              r.resourceId(),
              r.spec(),
              c == null ? null : c.name(),
              c == null ? null : c.publishedAt(),
              c == null ? null : c.rotatedFor(),
              c == null ? null : c.pendingRevoke()));
    }
    return new RouteLedger(RouteLedger.FORMAT, activeSince, targets);
  }

  /**
   * This record with the bookkeeping of a ledger. A table written before the ledger existed carries
   * its bookkeeping itself, and keeps it where the ledger is empty.
   */
  public PublishedTable with(RouteLedger ledger) {
    return new PublishedTable(
        format,
        namespace,
        name,
        model,
        strategy,
        active,
        ledger.activeSince() != null ? ledger.activeSince() : activeSince,
        endpointKeySha256,
        previousEndpointKeySha256,
        previousEndpointKeyUntil,
        routes.stream().map(r -> r.with(ledger.targets().get(r.target()))).toList());
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
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
      Target spec) {

    RouteTable.Route toWire() {
      return new RouteTable.Route(
          target,
          provider == null ? null : RouteTable.Provider.valueOf(provider),
          state == null ? null : RouteTable.State.valueOf(state),
          health == null ? null : RouteTable.Health.valueOf(health),
          api == null ? null : RouteTable.Api.valueOf(api),
          url,
          upstreamModel,
          region,
          priority,
          weight,
          credential == null ? null : credential.toWire());
    }

    Route with(RouteLedger.Entry entry) {
      if (entry == null) {
        return this;
      }
      RouteCredential c =
          credential == null
              ? null
              : new RouteCredential(
                  entry.credentialName() != null ? entry.credentialName() : credential.name(),
                  credential.scheme(),
                  credential.value(),
                  entry.publishedAt() != null ? entry.publishedAt() : credential.publishedAt(),
                  credential.expiresAt(),
                  entry.rotatedFor() != null ? entry.rotatedFor() : credential.rotatedFor(),
                  entry.pendingRevoke() != null
                      ? entry.pendingRevoke()
                      : credential.pendingRevoke());
      return new Route(
          target,
          provider,
          state,
          health,
          api,
          url,
          upstreamModel,
          region,
          priority,
          weight,
          c,
          entry.resourceId() != null ? entry.resourceId() : resourceId,
          entry.spec() != null ? entry.spec() : spec);
    }
  }

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

    RouteTable.Credential toWire() {
      return new RouteTable.Credential(
          scheme == null ? null : RouteTable.Scheme.valueOf(scheme), value, instant(expiresAt));
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
