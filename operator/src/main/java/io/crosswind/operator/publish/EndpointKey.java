package io.crosswind.operator.publish;

import io.crosswind.wire.EndpointKeys;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The key applications present to the gateway for one endpoint, and its rotation: a rotation
 * publishes a new key while the gateway keeps accepting the previous one for an overlap, so that
 * applications can restart onto the new Secret without a failed request.
 *
 * @param value the key itself; secret, left out of {@link #toString()}
 * @param rotatedFor the rotation request the key answers (the annotation's value), or null
 * @param previousSha256 the hash of the key it replaced, accepted until {@code previousUntil}
 * @param previousUntil when the previous key stops being accepted
 */
public record EndpointKey(
    String value, String rotatedFor, String previousSha256, Instant previousUntil) {

  public static final String PREFIX = EndpointKeys.PREFIX;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A fresh key, for an endpoint that has none; it answers the rotation request made so far. */
  public static EndpointKey generate(String rotatedFor) {
    return new EndpointKey(newValue(), rotatedFor, null, null);
  }

  /** The key to publish now: a new one when a rotation is asked for, this one otherwise. */
  public EndpointKey next(String rotationRequest, Instant now, Duration overlap) {
    EndpointKey live =
        previousUntil != null && !now.isBefore(previousUntil)
            ? new EndpointKey(value, rotatedFor, null, null)
            : this;
    if (rotationRequest != null
        && !rotationRequest.isBlank()
        && !rotationRequest.equals(rotatedFor)) {
      return new EndpointKey(newValue(), rotationRequest, sha256(), now.plus(overlap));
    }
    return live;
  }

  public String sha256() {
    return EndpointKeys.sha256Hex(value);
  }

  private static String newValue() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public String toString() {
    return "EndpointKey[rotatedFor="
        + rotatedFor
        + ", previousUntil="
        + previousUntil
        + ", value=<redacted>]";
  }
}
