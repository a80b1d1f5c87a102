package io.crosswind.operator.cloud.bedrock;

import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.operator.cloud.Credential;
import io.crosswind.operator.cloud.ProbeResult;
import io.crosswind.operator.cloud.Upstream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.token.credentials.StaticTokenProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.auth.scheme.BedrockRuntimeAuthSchemeProvider;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/**
 * The cheapest request that proves a Converse upstream serves the target: a Converse call of one
 * token with the published Bedrock API key as a bearer token, through the real BedrockRuntimeClient
 * (bearer auth preferred over SigV4, no retries, so a 429 is seen as such).
 */
final class BedrockConverseProbe {

  /**
   * The auth scheme preference names a scheme without its namespace: {@code httpBearerAuth}, not
   * {@code smithy.api#httpBearerAuth} (with the latter the SDK silently keeps SigV4).
   */
  static final String BEARER_AUTH = "httpBearerAuth";

  private final SdkHttpClient http;
  private final Clock clock;
  private final Map<String, BedrockRuntimeClient> clients = new ConcurrentHashMap<>();

  BedrockConverseProbe(SdkHttpClient http, Clock clock) {
    this.http = http;
    this.clock = clock;
  }

  ProbeResult probe(Upstream upstream, Credential credential, Duration timeout) {
    Instant start = clock.instant();
    try {
      client(upstream)
          .converse(
              r ->
                  r.modelId(upstream.model())
                      .messages(
                          Message.builder()
                              .role(ConversationRole.USER)
                              .content(ContentBlock.fromText("ping"))
                              .build())
                      .inferenceConfig(c -> c.maxTokens(1))
                      .overrideConfiguration(
                          o ->
                              o.tokenIdentityProvider(StaticTokenProvider.create(credential::value))
                                  .apiCallTimeout(timeout)));
      return new ProbeResult(TargetHealth.Healthy, 200, latency(start), "", start);
    } catch (AwsServiceException e) {
      return refused(e, start);
    } catch (ApiCallTimeoutException | ApiCallAttemptTimeoutException e) {
      return unhealthy("no answer within " + timeout.toMillis() + " ms", start);
    } catch (RuntimeException e) {
      return unhealthy("the call failed (" + e.getClass().getSimpleName() + ")", start);
    }
  }

  private ProbeResult refused(AwsServiceException e, Instant start) {
    int status = e.statusCode();
    String id = e.requestId() == null ? "" : " (request id " + e.requestId() + ")";
    String code = e.awsErrorDetails() == null ? "" : " " + e.awsErrorDetails().errorCode();
    if (status == 429 || e.isThrottlingException()) {
      return new ProbeResult(
          TargetHealth.Throttled,
          429,
          latency(start),
          "Bedrock answered 429" + code + ": the model's quota is reached" + id + ".",
          start);
    }
    String what =
        status == 401 || status == 403
            ? "Bedrock refused the published key (" + status + code + ")"
            : "Bedrock answered " + status + code;
    return new ProbeResult(TargetHealth.Unhealthy, status, latency(start), what + id + ".", start);
  }

  private ProbeResult unhealthy(String why, Instant start) {
    return new ProbeResult(
        TargetHealth.Unhealthy, 0, latency(start), "The probe got no answer: " + why + ".", start);
  }

  private Duration latency(Instant start) {
    return Duration.between(start, clock.instant());
  }

  /** One client per runtime endpoint and region; the key goes with each request. */
  private BedrockRuntimeClient client(Upstream upstream) {
    return clients.computeIfAbsent(
        upstream.region() + "|" + upstream.baseUrl(),
        k ->
            BedrockRuntimeClient.builder()
                .endpointOverride(URI.create(upstream.baseUrl()))
                .region(Region.of(upstream.region()))
                .httpClient(http)
                .authSchemeProvider(
                    BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of(BEARER_AUTH)))
                .tokenProvider(
                    StaticTokenProvider.create(
                        () -> {
                          throw new IllegalStateException("a probe brings its own key");
                        }))
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build());
  }
}
