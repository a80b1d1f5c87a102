package io.crosswind.operator.cloud.bedrock;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;

/**
 * How the operator reaches AWS Bedrock. Endpoint templates carry {@code {region}} where the region
 * goes; null means AWS's own endpoints.
 *
 * @param bedrockEndpoint the Bedrock control plane ({@code --aws-bedrock-endpoint})
 * @param runtimeEndpoint the Bedrock runtime ({@code --aws-bedrock-runtime-endpoint}); it is also
 *     the base of the upstream URL published for targets
 * @param mantleEndpoint Bedrock's mantle endpoint ({@code --aws-bedrock-mantle-endpoint}), the base
 *     of the upstream URL of targets with {@code openAiEndpoint: Mantle}
 * @param stsEndpoint STS ({@code --aws-sts-endpoint}); null for the regional endpoints
 * @param defaultRoleArn the role assumed for targets that name none ({@code --aws-role-arn}); null
 *     for none, in which case only targets with their own {@code roleArn} get a key
 * @param httpClient the SDK HTTP client for Bedrock, STS and Converse probes; one that can send
 *     PATCH (Apache 5), not closed by the provider
 * @param dataPlane the JDK HTTP client for probes of OpenAI-compatible upstreams
 * @param baseCredentials the operator's own identity, used when a target has no credentials Secret:
 *     the default chain in production (IRSA, EKS Pod Identity, environment, profile)
 * @param clock the time source for key expiry and renewal
 * @param keyLifetime how long a minted Bedrock API key is valid: the AssumeRole duration of its
 *     session, 15 min to 12 h; IAM's default role limit and role chaining cap it at 1 h
 * @param keyRenewal the fraction of a key's life after which a new one is minted (0.5: at half)
 * @param callTimeout the most one SDK call may take, its retries included
 * @param maxAttempts SDK attempts per call (1: no retry); keeps a reconcile thread short
 */
public record BedrockSettings(
    String bedrockEndpoint,
    String runtimeEndpoint,
    String mantleEndpoint,
    String stsEndpoint,
    String defaultRoleArn,
    SdkHttpClient httpClient,
    java.net.http.HttpClient dataPlane,
    AwsCredentialsProvider baseCredentials,
    Clock clock,
    Duration keyLifetime,
    double keyRenewal,
    Duration callTimeout,
    int maxAttempts) {

  /** AWS's runtime endpoint, where the published upstream URLs point without an override. */
  public static final String AWS_RUNTIME_ENDPOINT =
      "https://bedrock-runtime.{region}.amazonaws.com";

  /** AWS's mantle endpoint. */
  public static final String AWS_MANTLE_ENDPOINT = "https://bedrock-mantle.{region}.api.aws";

  static final Duration MIN_KEY_LIFETIME = Duration.ofMinutes(15);
  static final Duration MAX_KEY_LIFETIME = Duration.ofHours(12);

  public BedrockSettings {
    bedrockEndpoint = blankToNull(bedrockEndpoint);
    runtimeEndpoint = blankToNull(runtimeEndpoint);
    mantleEndpoint = blankToNull(mantleEndpoint);
    stsEndpoint = blankToNull(stsEndpoint);
    defaultRoleArn = blankToNull(defaultRoleArn);
    if (httpClient == null || dataPlane == null || baseCredentials == null || clock == null) {
      throw new IllegalArgumentException(
          "httpClient, dataPlane, baseCredentials and clock are required");
    }
    if (keyLifetime == null
        || keyLifetime.compareTo(MIN_KEY_LIFETIME) < 0
        || keyLifetime.compareTo(MAX_KEY_LIFETIME) > 0) {
      throw new IllegalArgumentException(
          "keyLifetime must be between 15 minutes and 12 hours, not " + keyLifetime);
    }
    if (!(keyRenewal > 0 && keyRenewal < 1)) {
      throw new IllegalArgumentException("keyRenewal must be between 0 and 1, not " + keyRenewal);
    }
    if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("callTimeout must be positive");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /**
   * The production settings from the operator's flags: the default credential chain, the system
   * clock, keys of one hour renewed at half their life, two attempts per call within 20 s.
   *
   * @param trustManagers what TLS trusts (the JDK's CAs plus {@code --cloud-ca-file}); null for the
   *     JDK's own
   */
  public static BedrockSettings forOperator(
      String defaultRoleArn,
      String bedrockEndpoint,
      String runtimeEndpoint,
      String mantleEndpoint,
      String stsEndpoint,
      TrustManager[] trustManagers) {
    Apache5HttpClient.Builder http = Apache5HttpClient.builder();
    java.net.http.HttpClient.Builder dataPlane = java.net.http.HttpClient.newBuilder();
    if (trustManagers != null) {
      http.tlsTrustManagersProvider(() -> trustManagers);
      dataPlane.sslContext(sslContext(trustManagers));
    }
    return new BedrockSettings(
        bedrockEndpoint,
        runtimeEndpoint,
        mantleEndpoint,
        stsEndpoint,
        defaultRoleArn,
        http.build(),
        dataPlane.connectTimeout(Duration.ofSeconds(5)).build(),
        DefaultCredentialsProvider.builder().build(),
        Clock.systemUTC(),
        Duration.ofHours(1),
        0.5,
        Duration.ofSeconds(20),
        2);
  }

  /** The runtime endpoint of a region: what upstream URLs and Converse probes use. */
  String runtimeEndpoint(String region) {
    return (runtimeEndpoint == null ? AWS_RUNTIME_ENDPOINT : runtimeEndpoint)
        .replace("{region}", region);
  }

  /** The mantle endpoint of a region: the base of Mantle targets' upstream URLs. */
  String mantleEndpoint(String region) {
    return (mantleEndpoint == null ? AWS_MANTLE_ENDPOINT : mantleEndpoint)
        .replace("{region}", region);
  }

  static String endpoint(String template, String region) {
    return template == null ? null : template.replace("{region}", region);
  }

  private static SSLContext sslContext(TrustManager[] trustManagers) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
