package io.crosswind.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How an endpoint key travels in a route table: never itself, only its SHA-256 as 64 lower-case hex
 * digits. The gateway hashes the key an application presents and compares in constant time.
 */
public final class EndpointKeys {

  /** Every endpoint key starts with it, so that a leaked one is recognisable. */
  public static final String PREFIX = "cw-";

  private EndpointKeys() {}

  /** The SHA-256 of the key's UTF-8 bytes. */
  public static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The hash as route tables keep it. */
  public static String sha256Hex(String key) {
    return HexFormat.of().formatHex(digest(key));
  }

  /** Whether a presented key's digest is the one a table keeps, compared in constant time. */
  public static boolean matches(byte[] digest, String sha256Hex) {
    return sha256Hex != null && MessageDigest.isEqual(digest, HexFormat.of().parseHex(sha256Hex));
  }
}
