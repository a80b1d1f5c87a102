package io.crosswind.gateway.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Errors in OpenAI's shape, {@code {"error": {"message", "type", "param", "code"}}}, which every
 * OpenAI SDK parses: the gateway's own, and upstream errors re-shaped with their status kept.
 */
public final class OpenAiErrors {

  private OpenAiErrors() {}

  public static JsonObject body(String message, String type, String param, String code) {
    return new JsonObject()
        .put(
            "error",
            new JsonObject()
                .put("message", message)
                .put("type", type)
                .put("param", param)
                .put("code", code));
  }

  /** OpenAI's error type for an HTTP status. */
  public static String typeFor(int status) {
    return switch (status) {
      case 400, 404, 409, 413, 422 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 429 -> "rate_limit_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  public static void send(HttpServerResponse response, int status, JsonObject body) {
    if (response.headWritten()) {
      return;
    }
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.toBuffer());
  }

  public static void send(
      HttpServerResponse response, int status, String message, String param, String code) {
    send(response, status, body(message, typeFor(status), param, code));
  }

  /**
   * An upstream's error body in OpenAI's shape: kept as it is when it already has an {@code error}
   * object with a message (Azure OpenAI and Bedrock's OpenAI-compatible API), filled in otherwise
   * (Bedrock's {@code {"message"}} with {@code x-amzn-ErrorType}, or no JSON at all).
   *
   * @param awsErrorType the {@code x-amzn-ErrorType} header, or null
   */
  public static JsonObject fromUpstream(int status, Buffer body, String awsErrorType) {
    JsonObject parsed = null;
    try {
      if (body != null && body.length() > 0) {
        parsed = body.toJsonObject();
      }
    } catch (RuntimeException e) {
      parsed = null;
    }
    String code = awsErrorType == null ? null : awsErrorType.split(":", 2)[0];
    if (parsed != null && parsed.getValue("error") instanceof JsonObject error) {
      String message = error.getString("message", "The upstream answered " + status + ".");
      Object upstreamCode = error.getValue("code");
      return body(
          message,
          error.getString("type", typeFor(status)),
          error.getString("param"),
          upstreamCode == null ? code : String.valueOf(upstreamCode));
    }
    String message = null;
    if (parsed != null) {
      message = parsed.getString("message", parsed.getString("Message"));
    }
    if (message == null) {
      message = "The upstream answered HTTP " + status + ".";
    }
    return body(message, typeFor(status), null, code);
  }
}
