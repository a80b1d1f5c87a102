package io.crosswind.operator.cloud;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** SHA-256 as lower-case hex: derived names, idempotency tokens, cache keys, hashed keys. */
public final class Hashes {

  private Hashes() {}

  public static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * A digest of a Secret's content, every key and value length-prefixed so that no two Secrets
   * share one; it keys client caches, so a changed Secret gets a new client. Never logged.
   */
  public static String fingerprint(Map<String, String> data) {
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
