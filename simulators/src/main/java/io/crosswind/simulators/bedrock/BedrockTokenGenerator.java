package io.crosswind.simulators.bedrock;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Mints short-term Bedrock API keys the way aws-bedrock-token-generator does (it is not served
 * here): a SigV4 presigned {@code POST https://bedrock.amazonaws.com/?Action=CallWithBearerToken}
 * for service {@code bedrock} in the region, without its scheme, {@code &Version=1} appended,
 * base64, prefixed {@code bedrock-api-key-}. Public for other modules' tests, which need keys the
 * simulated runtime accepts (the gateway's, for example).
 */
public final class BedrockTokenGenerator {

  private BedrockTokenGenerator() {}

  public static String mint(AwsCredentialsIdentity credentials, String region, Duration expiry) {
    return mint(credentials, region, expiry, Clock.systemUTC());
  }

  /** A key signed at the clock's time, to make one that has already expired. */
  public static String mint(
      AwsCredentialsIdentity credentials, String region, Duration expiry, Clock signedAt) {
    SdkHttpFullRequest request =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.POST)
            .protocol("https")
            .host("bedrock.amazonaws.com")
            .encodedPath("/")
            .appendHeader("host", "bedrock.amazonaws.com")
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
                    .putProperty(HttpSigner.SIGNING_CLOCK, signedAt)
                    .build())
            .request()
            .getUri()
            .toString();
    String withoutScheme = url.substring("https://".length());
    return "bedrock-api-key-"
        + Base64.getEncoder()
            .encodeToString((withoutScheme + "&Version=1").getBytes(StandardCharsets.UTF_8));
  }
}
