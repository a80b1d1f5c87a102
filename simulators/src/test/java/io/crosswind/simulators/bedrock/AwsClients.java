package io.crosswind.simulators.bedrock;

import io.crosswind.simulators.Simulators;
import java.net.URI;
import java.net.http.HttpClient;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.sts.StsClient;

/** The real AWS SDK clients, pointed at the simulators by configuration only. */
final class AwsClients {

  private AwsClients() {}

  /** An HTTP client that trusts the simulators' test CA and nothing else. */
  static SdkHttpClient http(Simulators sim) {
    return UrlConnectionHttpClient.builder()
        .tlsTrustManagersProvider(() -> new TrustManager[] {sim.certificates().trustManager()})
        .build();
  }

  static SdkAsyncHttpClient asyncHttp(Simulators sim) {
    return NettyNioAsyncHttpClient.builder()
        .tlsTrustManagersProvider(() -> new TrustManager[] {sim.certificates().trustManager()})
        .build();
  }

  /** The test IAM user's long-term key. */
  static AwsCredentialsProvider user(Simulators sim) {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(
            sim.credentials().awsAccessKeyId(), sim.credentials().awsSecretAccessKey()));
  }

  /**
   * The Bedrock control-plane client. It uses the Apache client: UpdateProvisionedModelThroughput
   * is a PATCH, which the URL-connection client (HttpURLConnection) cannot send.
   */
  static BedrockClient bedrock(Simulators sim, String region, AwsCredentialsProvider credentials) {
    return BedrockClient.builder()
        .endpointOverride(URI.create(sim.bedrockEndpoint(region)))
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .httpClient(
            Apache5HttpClient.builder()
                .tlsTrustManagersProvider(
                    () -> new TrustManager[] {sim.certificates().trustManager()})
                .build())
        .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
        .build();
  }

  static BedrockRuntimeClient runtime(
      Simulators sim, String region, AwsCredentialsProvider credentials) {
    return BedrockRuntimeClient.builder()
        .endpointOverride(URI.create(sim.bedrockRuntimeEndpoint(region)))
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .httpClient(http(sim))
        .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
        .build();
  }

  static BedrockRuntimeAsyncClient asyncRuntime(
      Simulators sim, String region, AwsCredentialsProvider credentials) {
    return BedrockRuntimeAsyncClient.builder()
        .endpointOverride(URI.create(sim.bedrockRuntimeEndpoint(region)))
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .httpClient(asyncHttp(sim))
        .build();
  }

  static StsClient sts(Simulators sim, String region, AwsCredentialsProvider credentials) {
    return StsClient.builder()
        .endpointOverride(URI.create(sim.stsEndpoint()))
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .httpClient(http(sim))
        .build();
  }

  /** A plain HTTP client for the OpenAI-compatible paths, trusting the test CA only. */
  static HttpClient openAiHttp(Simulators sim) {
    return HttpClient.newBuilder().sslContext(sim.certificates().clientSslContext()).build();
  }
}
