package io.crosswind.operator.cloud.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crosswind.operator.cloud.Credential;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Mints short-term Bedrock API keys scoped to one target: a fresh role session whose inline session
 * policy allows {@code bedrock:CallWithBearerToken} and invoking exactly the target's resources,
 * then a SigV4 presigned {@code POST https://bedrock.amazonaws.com/?Action=CallWithBearerToken}
 * signed with that session by the SDK's own signer, as aws-bedrock-token-generator makes it.
 */
final class BedrockApiKeyMinter {

  static final String CREDENTIAL_NAME = "bedrock-api-key";
  static final String PREFIX = "bedrock-api-key-";
  static final Duration MAX_EXPIRY = Duration.ofHours(12);

  /** The IAM actions behind InvokeModel, Converse (InvokeModel) and their streaming forms. */
  static final List<String> INVOKE_ACTIONS =
      List.of("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream");

  private static final String HOST = "bedrock.amazonaws.com";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;
  private final Duration lifetime;

  BedrockApiKeyMinter(Clock clock, Duration lifetime) {
    this.clock = clock;
    this.lifetime = lifetime;
  }

  /**
   * A new key that may invoke only {@code resources}, valid for the configured lifetime and never
   * beyond its session's expiry.
   *
   * @param sts STS signed by the base identity, so the session is not a chained one
   */
  Credential mint(
      StsClient sts, BedrockTargetSpec spec, List<String> resources, String rotatedFor) {
    Instant now = clock.instant();
    Credentials session =
        sts.assumeRole(
                r ->
                    r.roleArn(spec.roleArn())
                        .roleSessionName(spec.name())
                        .durationSeconds((int) lifetime.toSeconds())
                        .policy(sessionPolicy(resources))
                        .tags(
                            BedrockConnections.sessionTag(
                                BedrockConnections.NAMESPACE_TAG, spec.owner().namespace()),
                            BedrockConnections.sessionTag(
                                BedrockConnections.ENDPOINT_TAG, spec.owner().name())))
            .credentials();
    Instant signedAt = now.truncatedTo(ChronoUnit.SECONDS);
    Instant expires = signedAt.plus(lifetime.compareTo(MAX_EXPIRY) < 0 ? lifetime : MAX_EXPIRY);
    if (session.expiration() != null && session.expiration().isBefore(expires)) {
      expires = session.expiration();
    }
    Duration expiry = Duration.between(signedAt, expires);
    if (expiry.getSeconds() < 1) {
      expiry = Duration.ofSeconds(1);
    }
    String value =
        presign(
            AwsSessionCredentialsIdentity.create(
                session.accessKeyId(), session.secretAccessKey(), session.sessionToken()),
            spec.region(),
            expiry,
            signedAt);
    return new Credential(
        CREDENTIAL_NAME,
        value,
        Credential.Scheme.BEARER,
        now,
        signedAt.plus(expiry),
        rotatedFor,
        null);
  }

  /**
   * The inline session policy: the bearer-token action on {@code *} (it has no resource of its own)
   * and the invoke actions on exactly these ARNs.
   */
  static String sessionPolicy(List<String> resources) {
    Map<String, Object> policy =
        Map.of(
            "Version",
            "2012-10-17",
            "Statement",
            List.of(
                Map.of(
                    "Sid",
                    "BedrockApiKey",
                    "Effect",
                    "Allow",
                    "Action",
                    "bedrock:CallWithBearerToken",
                    "Resource",
                    "*"),
                Map.of(
                    "Sid",
                    "InvokeThisTarget",
                    "Effect",
                    "Allow",
                    "Action",
                    INVOKE_ACTIONS,
                    "Resource",
                    List.copyOf(new LinkedHashSet<>(resources)))));
    try {
      return JSON.writeValueAsString(policy);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key: the presigned URL without its scheme, {@code &Version=1}, base64, prefixed. */
  static String presign(
      AwsCredentialsIdentity credentials, String region, Duration expiry, Instant signedAt) {
    SdkHttpFullRequest request =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.POST)
            .protocol("https")
            .host(HOST)
            .encodedPath("/")
            .appendHeader("host", HOST)
            .putRawQueryParameter("Action", "CallWithBearerToken")
            .build();
    String url =
        AwsV4HttpSigner.create()
            .sign(
                SignRequest.builder(credentials)
                    .request(request)
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(
                        AwsV4FamilyHttpSigner.AUTH_LOCATION,
                        AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                    .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, expiry)
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC))
                    .build())
            .request()
            .getUri()
            .toString();
    String withoutScheme = url.substring("https://".length());
    return PREFIX
        + Base64.getEncoder()
            .encodeToString((withoutScheme + "&Version=1").getBytes(StandardCharsets.UTF_8));
  }
}
