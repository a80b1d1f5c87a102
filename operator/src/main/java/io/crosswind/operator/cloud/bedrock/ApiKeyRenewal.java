package io.crosswind.operator.cloud.bedrock;

import io.crosswind.operator.cloud.Credential;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether the published Bedrock API key stays or a new one is minted, decided from values alone. A
 * key is replaced at a fixed fraction of its life, long before it expires; the replaced key stays
 * valid until its own expiry, so readers still holding it are never refused.
 *
 * @param mint whether to mint a new key now
 * @param why what a person would call it: first, rotation, replaced resource, renewal; null when
 *     kept
 * @param recheckAfter when the kept key is due for renewal; null when minting
 */
record ApiKeyRenewal(boolean mint, String why, Duration recheckAfter) {

  static final String FIRST = "first key";
  static final String ROTATION = "rotation requested";
  static final String RESOURCE_REPLACED = "the resource it serves was created after it";
  static final String RENEWAL = "renewal before expiry";

  /** Never look again sooner than this, however short-lived a key is. */
  static final Duration MIN_RECHECK = Duration.ofSeconds(5);

  /**
   * @param resourceCreatedAt when the profile or throughput the key is scoped to was created: a key
   *     published before it was scoped to another (replaced) resource
   * @param renewal the fraction of a key's life after which it is replaced
   */
  static ApiKeyRenewal decide(
      Credential published,
      boolean rotationRequested,
      Instant resourceCreatedAt,
      Instant now,
      double renewal) {
    if (published == null
        || !BedrockApiKeyMinter.CREDENTIAL_NAME.equals(published.name())
        || published.scheme() != Credential.Scheme.BEARER
        || published.publishedAt() == null
        || published.expiresAt() == null) {
      return new ApiKeyRenewal(true, FIRST, null);
    }
    if (rotationRequested) {
      return new ApiKeyRenewal(true, ROTATION, null);
    }
    if (resourceCreatedAt != null && published.publishedAt().isBefore(resourceCreatedAt)) {
      return new ApiKeyRenewal(true, RESOURCE_REPLACED, null);
    }
    Instant due = renewalDue(published, renewal);
    if (!now.isBefore(due)) {
      return new ApiKeyRenewal(true, RENEWAL, null);
    }
    return new ApiKeyRenewal(false, null, atLeast(Duration.between(now, due)));
  }

  /** When a key is due for renewal: {@code renewal} of the way from publication to expiry. */
  static Instant renewalDue(Credential key, double renewal) {
    long life = Duration.between(key.publishedAt(), key.expiresAt()).toMillis();
    return key.publishedAt().plusMillis((long) (life * renewal));
  }

  static Duration atLeast(Duration d) {
    return d.compareTo(MIN_RECHECK) < 0 ? MIN_RECHECK : d;
  }
}
