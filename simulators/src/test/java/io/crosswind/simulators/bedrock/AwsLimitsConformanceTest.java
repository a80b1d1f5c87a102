package io.crosswind.simulators.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.core.ManagementLimits;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The published request rates of Bedrock's control plane and of STS, as the real AWS SDK sees them
 * when a caller goes over them: Bedrock's 429 ThrottlingException, STS's 400 Throttling "Rate
 * exceeded", both throttling errors to the SDK; other APIs keep their own buckets.
 */
class AwsLimitsConformanceTest {

  // A tenth of the published rates: Bedrock gets hold one token, refilled once a second.
  static Simulators sim;

  @BeforeAll
  static void start() {
    sim = Simulators.start(Simulators.Options.defaults().withLimits(ManagementLimits.scaled(0.1)));
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  static BedrockClient bedrockWithoutRetries() {
    return BedrockClient.builder()
        .endpointOverride(URI.create(sim.bedrockEndpoint("us-east-1")))
        .region(Region.US_EAST_1)
        .credentialsProvider(AwsClients.user(sim))
        .httpClient(AwsClients.http(sim))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  @Test
  void aBedrockApiOverItsRateIsThrottledAndAnotherApiIsNot() {
    try (BedrockClient bedrock = bedrockWithoutRetries()) {
      bedrock.getFoundationModel(r -> r.modelIdentifier("openai.gpt-oss-120b-1:0"));

      assertThatThrownBy(
              () -> bedrock.getFoundationModel(r -> r.modelIdentifier("openai.gpt-oss-120b-1:0")))
          .isInstanceOfSatisfying(
              AwsServiceException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(429);
                assertThat(e.isThrottlingException()).isTrue();
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
              });
      assertThat(bedrock.listInferenceProfiles(r -> r.maxResults(10)).inferenceProfileSummaries())
          .as("a listing draws from its own bucket")
          .isNotNull();
    }
    assertThat(sim.limits().refusals()).containsEntry("bedrock/GetFoundationModel", 1L);
  }

  @Test
  void stsOverItsRateAnswersThrottlingRateExceeded() {
    try (StsClient sts =
        StsClient.builder()
            .endpointOverride(URI.create(sim.stsEndpoint()))
            .region(Region.US_EAST_1)
            .credentialsProvider(AwsClients.user(sim))
            .httpClient(AwsClients.http(sim))
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build()) {
      // A tenth of 600 a second: a bucket of 60. The 61st call in a burst finds it empty.
      AwsServiceException refused = null;
      for (int i = 0; i < 200 && refused == null; i++) {
        try {
          sts.getCallerIdentity();
        } catch (AwsServiceException e) {
          refused = e;
        }
      }
      assertThat(refused).as("a burst of 200 calls goes over a bucket of 60").isNotNull();
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("Throttling");
      assertThat(refused.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
      assertThat(refused.isThrottlingException()).isTrue();
    }
  }
}
