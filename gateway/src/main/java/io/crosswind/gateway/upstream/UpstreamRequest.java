package io.crosswind.gateway.upstream;

import io.crosswind.gateway.converse.ConverseRequests;
import io.crosswind.wire.RouteTable;
import io.crosswind.wire.RouteTable.Credential;
import io.crosswind.wire.RouteTable.Route;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What to send one target for a request, decided without I/O: the upstream URL, its credential
 * header and the body (the client's with {@code model} replaced by the target's upstream model, or
 * its Converse translation).
 *
 * @param uri the absolute upstream URL
 * @param headers the headers to send, the credential among them
 * @param body the body to send
 * @param converse whether the answer is a Converse answer to translate
 */
public record UpstreamRequest(String uri, MultiMap headers, Buffer body, boolean converse) {

  /**
   * @param request the client's request body, already checked
   * @param stream whether the client asked for a stream
   * @throws ConverseRequests.Unsupported when Converse cannot express the request
   */
  public static UpstreamRequest of(
      Operation operation, Route route, JsonObject request, boolean stream) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headers.add("Content-Type", "application/json");
    Credential credential = route.credential();
    if (credential.scheme() == RouteTable.Scheme.API_KEY_HEADER) {
      headers.add("api-key", credential.value());
    } else {
      headers.add("Authorization", "Bearer " + credential.value());
    }
    String base = trimSlash(route.url());
    if (route.converse()) {
      if (operation != Operation.CHAT_COMPLETIONS) {
        throw new IllegalArgumentException("Converse serves chat completions only");
      }
      headers.add("Accept", stream ? "application/vnd.amazon.eventstream" : "application/json");
      String uri =
          base
              + "/model/"
              + URLEncoder.encode(route.upstreamModel(), StandardCharsets.UTF_8).replace("+", "%20")
              + (stream ? "/converse-stream" : "/converse");
      return new UpstreamRequest(
          uri, headers, ConverseRequests.translate(request).toBuffer(), true);
    }
    headers.add("Accept", stream ? "text/event-stream" : "application/json");
    String path = operation == Operation.CHAT_COMPLETIONS ? "/chat/completions" : "/responses";
    // The request is the exchange's own: each attempt names its upstream's model in place and
    // encodes it, without a copy of the whole body per attempt.
    JsonObject body = request.put("model", route.upstreamModel());
    return new UpstreamRequest(base + path, headers, body.toBuffer(), false);
  }

  private static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public String toString() {
    return "UpstreamRequest[uri=" + uri + ", converse=" + converse + "]";
  }
}
