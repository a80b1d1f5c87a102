package io.crosswind.gateway.upstream;

import io.crosswind.wire.RouteTable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Responses API ids as the gateway hands them out: the upstream's id tagged with the target that
 * holds the conversation and bound to the endpoint that made it, {@code resp_cw2<hex of the target
 * name>_<mac>_<upstream id>}, so that a follow-up with {@code previous_response_id} reaches that
 * target without a shared store, and only through that endpoint. The mac is an HMAC-SHA256 (128
 * bits shown) of the endpoint, the target and the upstream id, keyed with the SHA-256 of the
 * endpoint key, which only the endpoint's holders and the gateway know: another endpoint's key
 * holder cannot make or re-tag an id of this endpoint, even when both endpoints' targets share a
 * cloud account and its response store. After a key rotation, ids made with the previous key are
 * accepted as long as that key is.
 */
public final class ResponseIds {

  static final String PREFIX = "resp_cw2";

  /** The unbound ids of gateways before this one: refused, since anyone could have made them. */
  static final String UNBOUND = "resp_cw1";

  private static final int MAC_HEX = 32;

  /** A tagged id: the target, the id the target gave, and the mac that binds them. */
  public record Tagged(String target, String mac, String upstreamId) {}

  private ResponseIds() {}

  /** Whether an id is one of the gateway's, bound or not. */
  public static boolean isGateways(String id) {
    return id != null && (id.startsWith(PREFIX) || id.startsWith(UNBOUND));
  }

  /** The id to hand out for the upstream's id, made by this target of this endpoint. */
  public static String tag(RouteTable table, String target, String upstreamId) {
    return PREFIX
        + HexFormat.of().formatHex(target.getBytes(StandardCharsets.UTF_8))
        + "_"
        + mac(table.endpointKeySha256(), table.id(), target, upstreamId)
        + "_"
        + upstreamId;
  }

  /** The parts of a bound id; empty for anything else, an unbound id of an older gateway too. */
  public static Optional<Tagged> untag(String id) {
    if (id == null || !id.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int end = id.indexOf('_', PREFIX.length());
    int macEnd = end + 1 + MAC_HEX;
    if (end < 0
        || end == PREFIX.length()
        || id.length() <= macEnd + 1
        || id.charAt(macEnd) != '_') {
      return Optional.empty();
    }
    try {
      String target =
          new String(
              HexFormat.of().parseHex(id.substring(PREFIX.length(), end)), StandardCharsets.UTF_8);
      return Optional.of(
          new Tagged(target, id.substring(end + 1, macEnd), id.substring(macEnd + 1)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * True when this endpoint made the id: its mac checks with the endpoint's key, or with the key it
   * replaced while the gateway still accepts that one.
   */
  public static boolean madeBy(RouteTable table, Tagged tagged, Instant now) {
    if (matches(table.endpointKeySha256(), table, tagged)) {
      return true;
    }
    return table.previousEndpointKeySha256() != null
        && table.previousEndpointKeyUntil() != null
        && now.isBefore(table.previousEndpointKeyUntil())
        && matches(table.previousEndpointKeySha256(), table, tagged);
  }

  private static boolean matches(String keySha256, RouteTable table, Tagged tagged) {
    if (keySha256 == null) {
      return false;
    }
    String expected = mac(keySha256, table.id(), tagged.target(), tagged.upstreamId());
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        tagged.mac().getBytes(StandardCharsets.US_ASCII));
  }

  private static String mac(String keySha256, String endpoint, String target, String upstreamId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(HexFormat.of().parseHex(keySha256), "HmacSHA256"));
      byte[] sum =
          mac.doFinal(
              (endpoint + "\n" + target + "\n" + upstreamId).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sum).substring(0, MAC_HEX);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot compute a response id's mac", e);
    }
  }
}
