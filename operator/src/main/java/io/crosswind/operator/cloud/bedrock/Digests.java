package io.crosswind.operator.cloud.bedrock;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** SHA-256 digests for derived names, idempotency tokens and cache keys. */
final class Digests {

  private Digests() {}

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A digest of a Secret's content, every key and value length-prefixed so that no two Secrets
   * share one; it keys the client cache, so a changed Secret gets a new client. Never logged.
   */
  static String fingerprint(Map<String, String> data) {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(data)
        .forEach(
            (k, v) ->
                text.append(k.length())
                    .append(':')
                    .append(k)
                    .append(v == null ? 0 : v.length())
                    .append(':')
                    .append(v == null ? "" : v));
    return sha256(text.toString());
  }
}
