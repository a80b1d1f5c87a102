package io.crosswind.simulators.azure;

import io.crosswind.simulators.TestCredentials;
import io.crosswind.simulators.core.Calls;
import io.crosswind.simulators.core.Faults;
import io.crosswind.simulators.core.Service;
import io.crosswind.simulators.core.SimulatedService;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The Entra ID token endpoint, {@code POST /{tenant}/oauth2/v2.0/token}, as azure-identity's
 * client-secret and workload-identity (federated token) credentials call it with a custom authority
 * host and instance discovery disabled: the client-credentials grant, answered with an access token
 * for the {@code .default} scope of ARM or Cognitive Services.
 */
public final class EntraIdSimulator extends SimulatedService {

  static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
  static final String FEDERATED_AUDIENCE = "api://AzureADTokenExchange";

  private final TestCredentials credentials;
  private final EntraTokens tokens;
  private final EntraDirectory directory;

  public EntraIdSimulator(
      Faults faults,
      Calls calls,
      Clock clock,
      TestCredentials credentials,
      EntraTokens tokens,
      EntraDirectory directory) {
    super(faults, calls, clock);
    this.credentials = credentials;
    this.tokens = tokens;
    this.directory = directory;
  }

  @Override
  public Service service() {
    return Service.ENTRA;
  }

  @Override
  protected void routes(Router router) {
    router
        .post("/:tenant/oauth2/v2.0/token")
        .handler(rc -> operation(rc, "Token", rc.pathParam("tenant"), false, this::token));
  }

  private void token(RoutingContext rc) {
    String tenant = rc.pathParam("tenant");
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    for (String pair : rc.body().asString(StandardCharsets.UTF_8.name()).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.add(
            java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    if (!credentials.tenantId().equals(tenant)) {
      oauthError(
          rc,
          400,
          "invalid_request",
          90002,
          "AADSTS90002: Tenant '"
              + tenant
              + "' not found. Check to make sure you have the correct"
              + " tenant ID and are signing into the correct cloud.");
      return;
    }
    if (!"client_credentials".equals(form.get("grant_type"))) {
      oauthError(
          rc,
          400,
          "unsupported_grant_type",
          70003,
          "AADSTS70003: The app requested an unsupported grant type '"
              + form.get("grant_type")
              + "'.");
      return;
    }
    String clientId = form.get("client_id");
    Optional<EntraDirectory.Application> application = directory.application(clientId);
    if (application.isEmpty()) {
      oauthError(
          rc,
          400,
          "unauthorized_client",
          700016,
          "AADSTS700016: Application with identifier '"
              + clientId
              + "' was not found in the"
              + " directory '"
              + tenant
              + "'.");
      return;
    }
    Refusal refused = refusal(application.get(), form);
    if (refused != null) {
      oauthError(rc, 401, "invalid_client", refused.code(), refused.description());
      return;
    }
    String scope = form.get("scope") == null ? "" : form.get("scope").trim();
    String resource = resourceOf(scope);
    if (!resource.equals(EntraTokens.ARM_RESOURCE)
        && !resource.equals(EntraTokens.COGNITIVE_SERVICES_RESOURCE)) {
      oauthError(
          rc,
          400,
          "invalid_scope",
          70011,
          "AADSTS70011: The provided value for the input parameter 'scope' is not valid: '"
              + scope
              + "'.");
      return;
    }
    String token = tokens.issue(clientId, resource, clock.instant(), TOKEN_LIFETIME);
    rc.response()
        .putHeader("x-ms-request-id", requestId())
        .putHeader("Cache-Control", "no-store, no-cache");
    sendJson(
        rc,
        200,
        new JsonObject()
            .put("token_type", "Bearer")
            .put("expires_in", TOKEN_LIFETIME.toSeconds())
            .put("ext_expires_in", TOKEN_LIFETIME.toSeconds())
            .put("access_token", token));
  }

  /**
   * The resource a {@code .default} scope asks for. ARM answers to two names: the management SDKs
   * ask for the classic {@code https://management.core.windows.net//.default}.
   */
  static String resourceOf(String scopes) {
    // MSAL adds the OpenID Connect scopes (openid profile offline_access) to the one asked for.
    String scope =
        java.util.Arrays.stream(scopes.split(" "))
            .filter(s -> s.endsWith("/.default"))
            .findFirst()
            .orElse("");
    if (scope.isEmpty()) {
      return "";
    }
    String resource = scope.substring(0, scope.length() - "/.default".length());
    while (resource.endsWith("/")) {
      resource = resource.substring(0, resource.length() - 1);
    }
    return "https://management.core.windows.net".equals(resource)
        ? EntraTokens.ARM_RESOURCE
        : resource;
  }

  /**
   * Null when the application's client secret, or a federated token one of its federated
   * credentials trusts, signs it in; otherwise Entra's error description.
   */
  private Refusal refusal(EntraDirectory.Application app, MultiMap form) {
    if (form.get("client_secret") != null) {
      return app.secret() != null && app.secret().equals(form.get("client_secret"))
          ? null
          : new Refusal(
              7000215,
              "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the"
                  + " request is the client secret value, not the client secret ID.");
    }
    String assertion = form.get("client_assertion");
    JsonObject claims =
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
                .equals(form.get("client_assertion_type"))
            ? claims(assertion)
            : null;
    if (claims == null) {
      return new Refusal(
          7000216,
          "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for"
              + " the 'client_credentials' grant type.");
    }
    Object aud = claims.getValue("aud");
    boolean audience =
        FEDERATED_AUDIENCE.equals(aud)
            || (aud instanceof JsonArray list && list.contains(FEDERATED_AUDIENCE));
    if (claims.getLong("exp", 0L) <= clock.instant().getEpochSecond()) {
      return new Refusal(
          700024, "AADSTS700024: Client assertion is not within its valid time range.");
    }
    String issuer = claims.getString("iss");
    String subject = claims.getString("sub");
    boolean trusted =
        audience
            && (app.anyFederatedToken()
                || app.federated().stream()
                    .anyMatch(f -> f.issuer().equals(issuer) && f.subject().equals(subject)));
    return trusted
        ? null
        : new Refusal(
            70021,
            "AADSTS70021: No matching federated identity record found for presented assertion."
                + " Assertion Issuer: '"
                + issuer
                + "'. Assertion Subject: '"
                + subject
                + "'. Assertion Audience: '"
                + aud
                + "'.");
  }

  /** Why Entra refuses to sign an application in: its AADSTS code and description. */
  private record Refusal(int code, String description) {}

  private static JsonObject claims(String assertion) {
    String[] parts = assertion == null ? new String[0] : assertion.split("\\.");
    if (parts.length != 3) {
      return null;
    }
    try {
      return new JsonObject(
          new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void oauthError(
      RoutingContext rc, int status, String error, int code, String description) {
    String id = requestId();
    rc.response().putHeader("x-ms-request-id", id);
    sendJson(
        rc,
        status,
        new JsonObject()
            .put("error", error)
            .put("error_description", description + "\r\nTrace ID: " + id)
            .put("error_codes", new JsonArray().add(code))
            .put("trace_id", id));
  }

  @Override
  protected void sendError(
      RoutingContext rc, int status, String code, String message, long retryAfterSeconds) {
    if (retryAfterSeconds > 0) {
      rc.response().putHeader("Retry-After", Long.toString(retryAfterSeconds));
    }
    oauthError(rc, status, "temporarily_unavailable", 0, message);
  }
}
