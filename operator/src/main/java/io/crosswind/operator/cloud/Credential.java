package io.crosswind.operator.cloud;

import java.time.Instant;

/**
 * A data-plane credential for one target, as the route table keeps it. The value is secret: {@link
 * #toString()} leaves it out, and it is never logged, put into a message, an event or status.
 *
 * @param name which credential this is: {@code key1}/{@code key2} (Azure account keys) or {@code
 *     bedrock-api-key}
 * @param value the secret itself
 * @param scheme how a client sends it
 * @param publishedAt when Crosswind first published it
 * @param expiresAt when it stops working; null when it does not expire
 * @param rotatedFor the rotation request that the latest completed rotation answered, or null
 * @param pendingRevoke a credential that was replaced and is to be revoked once {@link
 *     #publishedAt} is far enough behind (Azure: the key to regenerate); null when none
 */
public record Credential(
    String name,
    String value,
    Scheme scheme,
    Instant publishedAt,
    Instant expiresAt,
    String rotatedFor,
    String pendingRevoke) {

  /** How a client presents the credential. */
  public enum Scheme {
    /** Azure OpenAI: the {@code api-key} header. */
    API_KEY_HEADER,
    /** {@code Authorization: Bearer <value>} (Bedrock API keys). */
    BEARER
  }

  public Credential withRotatedFor(String request) {
    return new Credential(name, value, scheme, publishedAt, expiresAt, request, pendingRevoke);
  }

  public Credential withPendingRevoke(String revoke) {
    return new Credential(name, value, scheme, publishedAt, expiresAt, rotatedFor, revoke);
  }

  @Override
  public String toString() {
    return "Credential[name="
        + name
        + ", scheme="
        + scheme
        + ", publishedAt="
        + publishedAt
        + ", expiresAt="
        + expiresAt
        + ", rotatedFor="
        + rotatedFor
        + ", pendingRevoke="
        + pendingRevoke
        + ", value=<redacted>]";
  }
}
