package io.crosswind.gateway.upstream;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Responses API ids as the gateway hands them out: the upstream's id tagged with the target that
 * holds the conversation, {@code resp_cw1<hex of the target name>_<upstream id>}, so that a
 * follow-up with {@code previous_response_id} reaches that target without a shared store. The tag
 * is not a secret and needs no signature: the endpoint key already decides which endpoint's targets
 * a request may reach.
 */
public final class ResponseIds {

  static final String PREFIX = "resp_cw1";

  /** A tagged id: the target and the id the target gave. */
  public record Tagged(String target, String upstreamId) {}

  private ResponseIds() {}

  public static String tag(String target, String upstreamId) {
    return PREFIX
        + HexFormat.of().formatHex(target.getBytes(StandardCharsets.UTF_8))
        + "_"
        + upstreamId;
  }

  public static Optional<Tagged> untag(String id) {
    if (id == null || !id.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int end = id.indexOf('_', PREFIX.length());
    if (end < 0 || end == PREFIX.length() || end == id.length() - 1) {
      return Optional.empty();
    }
    try {
      String target =
          new String(
              HexFormat.of().parseHex(id.substring(PREFIX.length(), end)), StandardCharsets.UTF_8);
      return Optional.of(new Tagged(target, id.substring(end + 1)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
