package io.crosswind.simulators.bedrock;

import io.crosswind.simulators.bedrock.AwsIdentities.Identity;
import io.crosswind.simulators.core.Calls;
import io.crosswind.simulators.core.Faults;
import io.crosswind.simulators.core.ManagementLimits;
import io.crosswind.simulators.core.Service;
import io.crosswind.simulators.core.SimulatedService;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AWS STS, {@code sts.{region}.amazonaws.com}, Query protocol with XML responses, API version
 * 2011-06-15 (the AWS Security Token Service API Reference and the service model in
 * aws-sdk-java-v2, services/sts/.../service-2.json): AssumeRole (RoleArn, RoleSessionName,
 * DurationSeconds, an inline session Policy, session Tags) and GetCallerIdentity. Errors are {@code
 * ErrorResponse/Error/{Type,Code,Message}} with a RequestId. One endpoint serves every region; the
 * region is the signature's credential scope. Any role of the test account can be assumed, unless
 * its trust policy asks for session tags ({@link AwsIdentities#requireSessionTags}): then only a
 * session with those tags, as IAM refuses the rest (AccessDenied on sts:AssumeRole). A role's
 * maximum session duration is IAM's default of one hour, and a role session assuming a role (role
 * chaining) is held to one hour too.
 */
public final class StsSimulator extends SimulatedService {

  static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
  static final Duration MAX_SESSION_DURATION = Duration.ofHours(1);
  static final int MAX_PACKED_POLICY = 2048;
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws:iam::(\\d{12}):role/(?:[\\w+=,.@/-]*/)?([\\w+=,.@-]{1,64})");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

  private final AwsIdentities identities;
  private final SigV4Verifier verifier;

  public StsSimulator(
      Faults faults, Calls calls, Clock clock, AwsIdentities identities, SigV4Verifier verifier) {
    super(faults, calls, clock);
    this.identities = identities;
    this.verifier = verifier;
  }

  @Override
  public Service service() {
    return Service.STS;
  }

  @Override
  protected void routes(Router router) {
    router.post("/").handler(this::dispatch);
  }

  /**
   * Runs the action named in the form. One endpoint serves every region (the SDK's Query protocol
   * posts to the endpoint's root, whatever its path): the region is the credential scope's.
   */
  private void dispatch(RoutingContext rc) {
    String scoped = SigV4Verifier.scopeRegion(rc.request().getHeader("Authorization"));
    String region = scoped == null ? "us-east-1" : scoped;
    Map<String, String> form =
        SigV4Verifier.form(rc.body().asString(StandardCharsets.UTF_8.name()));
    String action = form.getOrDefault("Action", "");
    boolean mutating = action.equals("AssumeRole");
    operation(
        rc,
        action.isEmpty() ? "Unknown" : action,
        region,
        mutating,
        rc2 -> {
          SigV4Verifier.Result auth =
              verifier.verifyHeader(rc2.request(), BedrockSimulator.bodyBytes(rc2), "sts", region);
          if (!auth.ok()) {
            authError(rc2, auth);
            return;
          }
          if (!withinLimits(
              rc2,
              action,
              ManagementLimits.STS,
              "sts|" + AwsIdentities.accountOf(auth.identity()) + "|" + region)) {
            return;
          }
          if (!"2011-06-15".equals(form.get("Version"))) {
            error(
                rc2,
                400,
                "Sender",
                "InvalidAction",
                "Could not find operation " + action + " for version " + form.get("Version"));
            return;
          }
          switch (action) {
            case "AssumeRole" -> assumeRole(rc2, auth.identity(), form);
            case "GetCallerIdentity" -> callerIdentity(rc2, auth.identity());
            default ->
                error(
                    rc2,
                    400,
                    "Sender",
                    "InvalidAction",
                    "Could not find operation " + action + " for version 2011-06-15");
          }
        });
  }

  private void assumeRole(RoutingContext rc, Identity caller, Map<String, String> form) {
    String roleArn = form.get("RoleArn");
    String sessionName = form.get("RoleSessionName");
    String policy = form.get("Policy");
    if (roleArn == null || roleArn.length() < 20) {
      validationError(
          rc, roleArn, "roleArn", "Member must have length greater than or equal to 20");
      return;
    }
    if (sessionName == null || sessionName.length() < 2 || sessionName.length() > 64) {
      validationError(
          rc,
          sessionName,
          "roleSessionName",
          "Member must have length "
              + (sessionName != null && sessionName.length() > 64
                  ? "less than or equal to 64"
                  : "greater than or equal to 2"));
      return;
    }
    if (!SESSION_NAME.matcher(sessionName).matches()) {
      validationError(
          rc,
          sessionName,
          "roleSessionName",
          "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
      return;
    }
    long seconds;
    try {
      seconds = Long.parseLong(form.getOrDefault("DurationSeconds", "3600"));
    } catch (NumberFormatException e) {
      validationError(
          rc, form.get("DurationSeconds"), "durationSeconds", "Member must be a number");
      return;
    }
    if (seconds < 900 || seconds > 43200) {
      validationError(
          rc,
          Long.toString(seconds),
          "durationSeconds",
          seconds < 900
              ? "Member must have value greater than or equal to 900"
              : "Member must have value less than or equal to 43200");
      return;
    }
    Map<String, String> tags = new java.util.LinkedHashMap<>();
    for (int i = 1; form.containsKey("Tags.member." + i + ".Key"); i++) {
      tags.put(
          form.get("Tags.member." + i + ".Key"),
          form.getOrDefault("Tags.member." + i + ".Value", ""));
    }
    if (tags.size() > 50) {
      validationError(
          rc,
          Integer.toString(tags.size()),
          "tags",
          "Member must have length less than or equal to 50");
      return;
    }
    Matcher role = ROLE_ARN.matcher(roleArn);
    if (!role.matches()
        || !role.group(1).equals(identities.account())
        || !identities.trusts(role.group(2), tags)) {
      error(
          rc,
          403,
          "Sender",
          "AccessDenied",
          "User: "
              + caller.arn()
              + " is not authorized to perform: sts:AssumeRole on resource: "
              + roleArn);
      return;
    }
    if (seconds > MAX_SESSION_DURATION.toSeconds()) {
      error(
          rc,
          400,
          "Sender",
          "ValidationError",
          caller.roleSession()
              ? "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
              : "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
      return;
    }
    int packedPercent = 0;
    if (policy != null) {
      try {
        SessionPolicy.parse(policy);
      } catch (IllegalArgumentException e) {
        error(rc, 400, "Sender", "MalformedPolicyDocument", e.getMessage());
        return;
      }
      packedPercent =
          (int) Math.ceil(100.0 * policy.replaceAll("\\s", "").length() / MAX_PACKED_POLICY);
      if (packedPercent > 100) {
        error(
            rc,
            400,
            "Sender",
            "PackedPolicyTooLarge",
            "Packed policy consumes "
                + packedPercent
                + "% of allotted space, please use smaller policy for this request.");
        return;
      }
    }
    Instant expiration = clock.instant().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS);
    Identity session = identities.issueSession(role.group(2), sessionName, expiration, policy);
    String result =
        "<Credentials>"
            + element("AccessKeyId", session.accessKeyId())
            + element("SecretAccessKey", session.secretAccessKey())
            + element("SessionToken", session.sessionToken())
            + element("Expiration", expiration.toString())
            + "</Credentials><AssumedRoleUser>"
            + element("AssumedRoleId", session.userId())
            + element("Arn", session.arn())
            + "</AssumedRoleUser>"
            + (policy == null ? "" : element("PackedPolicySize", Integer.toString(packedPercent)));
    respond(rc, "AssumeRole", result);
  }

  private void callerIdentity(RoutingContext rc, Identity caller) {
    respond(
        rc,
        "GetCallerIdentity",
        element("UserId", caller.userId())
            + element("Account", identities.account())
            + element("Arn", caller.arn()));
  }

  private void respond(RoutingContext rc, String action, String result) {
    String requestId = UUID.randomUUID().toString();
    rc.response()
        .setStatusCode(200)
        .putHeader("Content-Type", "text/xml")
        .putHeader("x-amzn-RequestId", requestId)
        .end(
            "<"
                + action
                + "Response xmlns=\""
                + NAMESPACE
                + "\"><"
                + action
                + "Result>"
                + result
                + "</"
                + action
                + "Result><ResponseMetadata><RequestId>"
                + requestId
                + "</RequestId></ResponseMetadata></"
                + action
                + "Response>");
  }

  private void authError(RoutingContext rc, SigV4Verifier.Result auth) {
    switch (auth.problem()) {
      case MISSING ->
          error(
              rc,
              403,
              "Sender",
              "MissingAuthenticationToken",
              "Request is missing Authentication Token");
      case INCOMPLETE -> error(rc, 400, "Sender", "IncompleteSignature", auth.message());
      case UNKNOWN_KEY -> error(rc, 403, "Sender", "InvalidClientTokenId", auth.message());
      case EXPIRED -> error(rc, 400, "Sender", "ExpiredToken", auth.message());
      case BAD_SIGNATURE, WRONG_SCOPE ->
          error(rc, 403, "Sender", "SignatureDoesNotMatch", auth.message());
    }
  }

  private static void validationError(
      RoutingContext rc, String value, String member, String constraint) {
    error(
        rc,
        400,
        "Sender",
        "ValidationError",
        "1 validation error detected: Value '"
            + value
            + "' at '"
            + member
            + "' failed to satisfy constraint: "
            + constraint);
  }

  private static void error(
      RoutingContext rc, int status, String type, String code, String message) {
    String requestId = UUID.randomUUID().toString();
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/xml")
        .putHeader("x-amzn-RequestId", requestId)
        .end(
            "<ErrorResponse xmlns=\""
                + NAMESPACE
                + "\"><Error>"
                + element("Type", type)
                + element("Code", code)
                + element("Message", message)
                + "</Error>"
                + element("RequestId", requestId)
                + "</ErrorResponse>");
  }

  private static String element(String name, String text) {
    String escaped =
        text.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("\"", "&quot;");
    return "<" + name + ">" + escaped + "</" + name + ">";
  }

  @Override
  protected void sendError(
      RoutingContext rc, int status, String code, String message, long retryAfterSeconds) {
    switch (code) {
      case "TooManyRequests" -> error(rc, 400, "Sender", "Throttling", "Rate exceeded");
      case "ServiceUnavailable" -> error(rc, 503, "Receiver", "ServiceUnavailable", message);
      case "InternalServerError" -> error(rc, status, "Receiver", "InternalFailure", message);
      default -> error(rc, status, "Sender", code, message);
    }
  }
}
