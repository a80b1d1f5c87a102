package io.crosswind.simulators.bedrock;

import io.crosswind.simulators.bedrock.AwsIdentities.Identity;
import io.crosswind.simulators.bedrock.SigV4Verifier.Problem;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.UUID;

/**
 * What the REST-JSON services (Bedrock and the Bedrock runtime) share: a request id on every
 * response, and errors as the AWS SDK parses them, the {@code x-amzn-ErrorType} header naming the
 * exception and a {@code {"message": ...}} body (the SDK reads the type from that header, not from
 * the HTTP status).
 */
final class RestJson {

  private RestJson() {}

  /** Puts an x-amzn-RequestId on every response of the router. */
  static void requestIds(Router router) {
    router
        .route()
        .order(-1)
        .handler(
            rc -> {
              rc.response().putHeader("x-amzn-RequestId", UUID.randomUUID().toString());
              rc.next();
            });
  }

  static void error(RoutingContext rc, int status, String type, String message) {
    error(rc, status, type, new JsonObject().put("message", message));
  }

  static void error(RoutingContext rc, int status, String type, JsonObject body) {
    if (rc.response().ended()) {
      return;
    }
    rc.response()
        .setStatusCode(status)
        .putHeader("x-amzn-ErrorType", type)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  /** The exception names of the generic errors that injected faults produce. */
  static String exceptionFor(String genericCode) {
    return switch (genericCode) {
      case "ServiceUnavailable" -> "ServiceUnavailableException";
      case "TooManyRequests" -> "ThrottlingException";
      case "InternalServerError" -> "InternalServerException";
      case "NotFound" -> "UnknownOperationException";
      default -> genericCode;
    };
  }

  /** The status and exception a REST-JSON service answers a failed signature check with. */
  static void authError(RoutingContext rc, Problem problem, String message) {
    switch (problem) {
      case MISSING -> error(rc, 403, "MissingAuthenticationTokenException", message);
      case INCOMPLETE -> error(rc, 400, "IncompleteSignatureException", message);
      case UNKNOWN_KEY -> error(rc, 403, "UnrecognizedClientException", message);
      case EXPIRED -> error(rc, 403, "ExpiredTokenException", message);
      case BAD_SIGNATURE, WRONG_SCOPE -> error(rc, 403, "InvalidSignatureException", message);
    }
  }

  /**
   * Whether the caller may perform the action on the resource: always for the IAM user, else as the
   * session policy says (AccessDeniedException with IAM's message when not).
   */
  static boolean authorized(RoutingContext rc, Identity caller, String action, String resource) {
    if (caller.sessionPolicy() == null
        || SessionPolicy.parse(caller.sessionPolicy()).allows(action, resource)) {
      return true;
    }
    error(rc, 403, "AccessDeniedException", notAuthorized(caller, action, resource));
    return false;
  }

  static String notAuthorized(Identity caller, String action, String resource) {
    return notAuthorized(caller, action, resource, "session");
  }

  /** IAM's refusal, naming the kind of policy that allows nothing ("session", "identity-based"). */
  static String notAuthorized(Identity caller, String action, String resource, String policy) {
    return "User: "
        + caller.arn()
        + " is not authorized to perform: "
        + action
        + " on resource: "
        + resource
        + " because no "
        + policy
        + " policy allows the "
        + action
        + " action";
  }

  /** Drops null members, as AWS leaves unset members out. */
  static JsonObject compact(JsonObject json) {
    json.getMap().values().removeIf(Objects::isNull);
    return json;
  }

  static void ok(RoutingContext rc, int status, JsonObject body) {
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(compact(body).encode());
  }
}
