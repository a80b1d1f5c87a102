package io.crosswind.simulators.bedrock;

import io.crosswind.simulators.bedrock.AwsIdentities.Identity;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Checks AWS Signature Version 4 the way the services do: it recomputes the signature of the
 * received request with the AWS SDK's own signer ({@link AwsV4HttpSigner}), from the secret of the
 * access key named in the credential scope, at the time the request says it was signed, and
 * compares it with the one sent. Two forms: the {@code Authorization: AWS4-HMAC-SHA256} header, and
 * the short-term Bedrock API key ({@code Bearer bedrock-api-key-...}), a presigned {@code POST
 * https://bedrock.amazonaws.com/?Action=CallWithBearerToken} URL as aws-bedrock-token-generator
 * makes it.
 */
public final class SigV4Verifier {

  /** Why a request was not authenticated; each service turns it into its own error code. */
  public enum Problem {
    MISSING,
    INCOMPLETE,
    UNKNOWN_KEY,
    BAD_SIGNATURE,
    EXPIRED,
    WRONG_SCOPE
  }

  /** The outcome: the caller, or the problem and the message the service sends with it. */
  public record Result(Identity identity, Problem problem, String message) {
    static Result ok(Identity identity) {
      return new Result(identity, null, null);
    }

    static Result fail(Problem problem, String message) {
      return new Result(null, problem, message);
    }

    public boolean ok() {
      return identity != null;
    }
  }

  static final String API_KEY_PREFIX = "bedrock-api-key-";
  static final String API_KEY_HOST = "bedrock.amazonaws.com";
  static final Duration API_KEY_MAX_EXPIRY = Duration.ofHours(12);
  static final Duration ALLOWED_SKEW = Duration.ofMinutes(5);
  static final String BAD_SIGNATURE =
      "The request signature we calculated does not match the signature you provided. Check your"
          + " AWS Secret Access Key and signing method. Consult the service documentation for"
          + " details.";
  static final String INVALID_TOKEN = "The security token included in the request is invalid.";
  static final String EXPIRED_TOKEN = "The security token included in the request is expired";
  static final String INVALID_API_KEY =
      "Authentication failed: Please make sure your API Key is valid.";

  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256\\s+Credential=([^,\\s]+),\\s*SignedHeaders=([^,\\s]+),\\s*"
              + "Signature=([0-9a-f]{64})\\s*");
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final AwsIdentities identities;
  private final Clock clock;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  AwsIdentities identities() {
    return identities;
  }

  public SigV4Verifier(AwsIdentities identities, Clock clock) {
    this.identities = identities;
    this.clock = clock;
  }

  /** Verifies the Authorization header of a request to {@code service} in {@code region}. */
  public Result verifyHeader(
      HttpServerRequest request, byte[] body, String service, String region) {
    String authorization = request.getHeader("Authorization");
    if (authorization == null) {
      return Result.fail(Problem.MISSING, "Missing Authentication Token");
    }
    Matcher m = AUTHORIZATION.matcher(authorization);
    if (!m.matches()) {
      return Result.fail(
          Problem.INCOMPLETE,
          "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'"
              + " parameters. Authorization="
              + authorization.split(" ")[0]);
    }
    String amzDate = request.getHeader("X-Amz-Date");
    Instant signedAt = parseDate(amzDate);
    if (signedAt == null) {
      return Result.fail(
          Problem.INCOMPLETE,
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
    Result scoped =
        checkScope(m.group(1), request.getHeader("X-Amz-Security-Token"), service, region);
    if (!scoped.ok()) {
      return scoped;
    }
    Result skewed = checkClock(amzDate, signedAt);
    if (skewed != null) {
      return skewed;
    }
    SdkHttpFullRequest.Builder received =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.fromValue(request.method().name()))
            .uri(URI.create("https://" + request.getHeader("Host") + request.path()));
    rawQuery(request.query()).forEach(received::putRawQueryParameter);
    for (String name : m.group(2).split(";")) {
      received.putHeader(name, request.headers().getAll(name));
    }
    boolean unsignedPayload = "UNSIGNED-PAYLOAD".equals(request.getHeader("x-amz-content-sha256"));
    SdkHttpRequest signed =
        signer
            .sign(
                SignRequest.builder(credentials(scoped.identity()))
                    .request(received.build())
                    .payload(() -> new java.io.ByteArrayInputStream(body))
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, !unsignedPayload)
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC))
                    .build())
            .request();
    Matcher expected =
        AUTHORIZATION.matcher(signed.firstMatchingHeader("Authorization").orElse(""));
    return expected.matches() && same(expected.group(3), m.group(3))
        ? scoped
        : Result.fail(Problem.BAD_SIGNATURE, BAD_SIGNATURE);
  }

  /**
   * Verifies a short-term Bedrock API key ({@code Authorization: Bearer bedrock-api-key-...}) for a
   * request to {@code region}: the presigned URL must be well formed, signed for Bedrock in that
   * region by known credentials, and not expired.
   */
  public Result verifyApiKey(String bearer, String region) {
    String url = decodeApiKey(bearer);
    if (url == null) {
      return Result.fail(Problem.INCOMPLETE, INVALID_API_KEY);
    }
    Map<String, String> query = rawQuery(URI.create("https://" + url).getRawQuery());
    Instant signedAt = parseDate(query.get("X-Amz-Date"));
    long expires;
    try {
      expires = Long.parseLong(query.getOrDefault("X-Amz-Expires", ""));
    } catch (NumberFormatException e) {
      return Result.fail(Problem.INCOMPLETE, INVALID_API_KEY);
    }
    if (!"CallWithBearerToken".equals(query.get("Action"))
        || !"AWS4-HMAC-SHA256".equals(query.get("X-Amz-Algorithm"))
        || !"host".equals(query.get("X-Amz-SignedHeaders"))
        || query.get("X-Amz-Credential") == null
        || query.get("X-Amz-Signature") == null
        || signedAt == null
        || expires < 1
        || expires > API_KEY_MAX_EXPIRY.toSeconds()) {
      return Result.fail(Problem.INCOMPLETE, INVALID_API_KEY);
    }
    Result scoped =
        checkScope(
            query.get("X-Amz-Credential"), query.get("X-Amz-Security-Token"), "bedrock", region);
    if (!scoped.ok()) {
      return Result.fail(scoped.problem(), INVALID_API_KEY);
    }
    if (clock.instant().isAfter(signedAt.plusSeconds(expires))) {
      return Result.fail(Problem.EXPIRED, INVALID_API_KEY);
    }
    SdkHttpRequest presigned =
        signer
            .sign(
                SignRequest.builder(credentials(scoped.identity()))
                    .request(
                        SdkHttpFullRequest.builder()
                            .method(SdkHttpMethod.POST)
                            .protocol("https")
                            .host(API_KEY_HOST)
                            .encodedPath("/")
                            .appendHeader("host", API_KEY_HOST)
                            .putRawQueryParameter("Action", "CallWithBearerToken")
                            .build())
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(
                        AwsV4FamilyHttpSigner.AUTH_LOCATION,
                        AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                    .putProperty(
                        AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofSeconds(expires))
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC))
                    .build())
            .request();
    String expected = presigned.firstMatchingRawQueryParameter("X-Amz-Signature").orElse("");
    return same(expected, query.get("X-Amz-Signature"))
        ? scoped
        : Result.fail(Problem.BAD_SIGNATURE, INVALID_API_KEY);
  }

  /** The presigned URL inside an API key (without its scheme), or null when it is not one. */
  private static String decodeApiKey(String bearer) {
    if (bearer == null || !bearer.startsWith(API_KEY_PREFIX)) {
      return null;
    }
    try {
      String url =
          new String(
              Base64.getDecoder().decode(bearer.substring(API_KEY_PREFIX.length())),
              StandardCharsets.UTF_8);
      if (!url.startsWith(API_KEY_HOST + "/?") || !url.endsWith("&Version=1")) {
        return null;
      }
      return url.substring(0, url.length() - "&Version=1".length());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Checks the credential scope (key/date/region/service/aws4_request) and the session token. */
  private Result checkScope(String credential, String sessionToken, String service, String region) {
    String[] scope = credential.split("/");
    if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
      return Result.fail(
          Problem.INCOMPLETE,
          "Credential should be scoped to a valid region, not '"
              + (scope.length > 2 ? scope[2] : "")
              + "'. ");
    }
    Identity identity = identities.find(scope[0]).orElse(null);
    if (identity == null || !java.util.Objects.equals(identity.sessionToken(), sessionToken)) {
      return Result.fail(Problem.UNKNOWN_KEY, INVALID_TOKEN);
    }
    if (identity.expired(clock.instant())) {
      return Result.fail(Problem.EXPIRED, EXPIRED_TOKEN);
    }
    if (!scope[3].equals(service)) {
      return Result.fail(
          Problem.WRONG_SCOPE,
          "Credential should be scoped to correct service: '" + service + "'. ");
    }
    if (!scope[2].equals(region)) {
      return Result.fail(
          Problem.WRONG_SCOPE,
          "Credential should be scoped to a valid region, not '" + scope[2] + "'. ");
    }
    return Result.ok(identity);
  }

  /**
   * Signatures are good for five minutes either side of the service's clock: null when this one is,
   * else the failure.
   */
  private Result checkClock(String amzDate, Instant signedAt) {
    Instant now = clock.instant();
    if (signedAt.isBefore(now.minus(ALLOWED_SKEW))) {
      return Result.fail(
          Problem.BAD_SIGNATURE,
          "Signature expired: "
              + amzDate
              + " is now earlier than "
              + AMZ_DATE.format(now.minus(ALLOWED_SKEW))
              + " ("
              + AMZ_DATE.format(now)
              + " - 5 min.)");
    }
    if (signedAt.isAfter(now.plus(ALLOWED_SKEW))) {
      return Result.fail(
          Problem.BAD_SIGNATURE,
          "Signature not yet current: "
              + amzDate
              + " is still later than "
              + AMZ_DATE.format(now.plus(ALLOWED_SKEW))
              + " ("
              + AMZ_DATE.format(now)
              + " + 5 min.)");
    }
    return null;
  }

  private static AwsCredentialsIdentity credentials(Identity identity) {
    return identity.sessionToken() == null
        ? AwsCredentialsIdentity.create(identity.accessKeyId(), identity.secretAccessKey())
        : AwsSessionCredentialsIdentity.create(
            identity.accessKeyId(), identity.secretAccessKey(), identity.sessionToken());
  }

  private static Instant parseDate(String amzDate) {
    try {
      return amzDate == null ? null : Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * The region of the credential scope of a SigV4 Authorization header, or null: for endpoints that
   * serve every region, such as the global STS endpoint.
   */
  static String scopeRegion(String authorization) {
    Matcher m = authorization == null ? null : AUTHORIZATION.matcher(authorization);
    if (m == null || !m.matches()) {
      return null;
    }
    String[] scope = m.group(1).split("/");
    return scope.length == 5 ? scope[2] : null;
  }

  /** Query parameters, decoded, in order; the signer encodes them again as the client did. */
  static Map<String, String> rawQuery(String query) {
    return decodePairs(query, false);
  }

  /**
   * An application/x-www-form-urlencoded body (where + is a space), as the Query protocol sends.
   */
  static Map<String, String> form(String body) {
    return decodePairs(body, true);
  }

  private static Map<String, String> decodePairs(String query, boolean plusIsSpace) {
    Map<String, String> out = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(decode(name, plusIsSpace), decode(value, plusIsSpace));
    }
    return out;
  }

  private static String decode(String s, boolean plusIsSpace) {
    return URLDecoder.decode(plusIsSpace ? s : s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static boolean same(String a, String b) {
    return a != null
        && b != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
