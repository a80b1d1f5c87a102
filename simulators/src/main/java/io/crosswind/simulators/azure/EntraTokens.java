package io.crosswind.simulators.azure;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Access tokens that the simulated Entra ID issued, and what each is good for. */
public final class EntraTokens {

  /** What a token grants: who it was issued to, for which resource, until when. */
  public record Grant(String clientId, String resource, Instant expiresAt) {}

  public static final String ARM_RESOURCE = "https://management.azure.com";
  public static final String COGNITIVE_SERVICES_RESOURCE = "https://cognitiveservices.azure.com";

  private final Map<String, Grant> tokens = new ConcurrentHashMap<>();

  String issue(String clientId, String resource, Instant now, Duration lifetime) {
    String token = "sim-entra." + UUID.randomUUID();
    tokens.put(token, new Grant(clientId, resource, now.plus(lifetime)));
    return token;
  }

  /** The grant of a bearer token that is known, unexpired and meant for this resource. */
  public Optional<Grant> valid(String authorization, String resource, Instant now) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return Optional.empty();
    }
    Grant grant = tokens.get(authorization.substring("Bearer ".length()).trim());
    if (grant == null || grant.expiresAt().isBefore(now) || !grant.resource().equals(resource)) {
      return Optional.empty();
    }
    return Optional.of(grant);
  }

  /** Makes every token issued so far expire, to test refresh. */
  public void expireAll() {
    tokens.replaceAll((t, g) -> new Grant(g.clientId(), g.resource(), Instant.EPOCH));
  }
}
