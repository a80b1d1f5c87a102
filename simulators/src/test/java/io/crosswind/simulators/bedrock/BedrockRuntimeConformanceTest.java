package io.crosswind.simulators.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.SimulatorsExtension;
import io.crosswind.simulators.bedrock.BedrockState.RuntimeQuota;
import io.crosswind.simulators.core.Fault;
import io.crosswind.simulators.core.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileModelSource;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * The Bedrock runtime's Converse and ConverseStream (API 2023-09-30) driven by the real
 * BedrockRuntimeClient 2.54.14 and its async client: model and profile resolution, STS session
 * policies, per-model quotas and injected faults.
 */
class BedrockRuntimeConformanceTest {

  static final String REGION = "us-east-1";
  static final String GPT_120B = "openai.gpt-oss-120b-1:0";
  static final String GPT_20B = "openai.gpt-oss-20b-1:0";
  static final String SONNET = "anthropic.claude-sonnet-4-5-20250929-v1:0";

  @RegisterExtension static SimulatorsExtension clouds = SimulatorsExtension.withDefaults();

  static Simulators sim;
  static BedrockRuntimeClient runtime;

  @BeforeAll
  static void start() {
    sim = clouds.get();
    runtime = AwsClients.runtime(sim, REGION, AwsClients.user(sim));
  }

  @Test
  void conversesWithAnOnDemandModelAndReportsUsage() {
    ConverseResponse response = converse(runtime, GPT_120B, "Hello there", 200);

    assertThat(response.output().message().content().get(0).text())
        .startsWith("Hello from bedrock/us-east-1/" + GPT_120B)
        .contains("Hello there");
    assertThat(response.stopReasonAsString()).isEqualTo("end_turn");
    assertThat(response.usage().inputTokens()).isPositive();
    assertThat(response.usage().totalTokens())
        .isEqualTo(response.usage().inputTokens() + response.usage().outputTokens());
    assertThat(sim.calls().count(Service.BEDROCK_RUNTIME, "Converse")).isEqualTo(1);
  }

  @Test
  void resolvesProfilesAndRefusesWhatAwsRefuses() {
    var unknown =
        catchThrowableOfType(
            ValidationException.class, () -> converse(runtime, "openai.gpt-9-1:0", "hi", 10));
    var profileOnly =
        catchThrowableOfType(ValidationException.class, () -> converse(runtime, SONNET, "hi", 10));
    var legacy =
        catchThrowableOfType(
            ResourceNotFoundException.class,
            () -> converse(runtime, "anthropic.claude-3-sonnet-20240229-v1:0", "hi", 10));
    var embedding =
        catchThrowableOfType(
            ValidationException.class,
            () -> converse(runtime, "amazon.titan-embed-text-v2:0", "hi", 10));
    var tooManyTokens =
        catchThrowableOfType(
            ValidationException.class, () -> converse(runtime, GPT_20B, "hi", 1_000_000));

    assertThat(unknown.getMessage()).contains("The provided model identifier is invalid.");
    assertThat(profileOnly.getMessage()).contains("on-demand throughput isn\u2019t supported");
    assertThat(legacy.statusCode()).isEqualTo(404);
    assertThat(embedding).isNotNull();
    assertThat(tooManyTokens).isNotNull();

    String system = "us." + SONNET;
    assertThat(
            converse(runtime, system, "via profile", 100)
                .output()
                .message()
                .content()
                .get(0)
                .text())
        .startsWith("Hello from bedrock/us-east-1/" + system);
    String app =
        AwsClients.bedrock(sim, REGION, AwsClients.user(sim))
            .createInferenceProfile(
                r ->
                    r.inferenceProfileName("runtime-app-profile")
                        .modelSource(
                            InferenceProfileModelSource.fromCopyFrom(
                                "arn:aws:bedrock:us-east-1::foundation-model/" + GPT_20B)))
            .inferenceProfileArn();
    assertThat(converse(runtime, app, "via app profile", 100).usage().outputTokens()).isPositive();
  }

  @Test
  void streamsConverseEventsThatTheSdkDecodes() {
    StringBuilder text = new StringBuilder();
    List<String> events = new ArrayList<>();
    AtomicReference<ConverseStreamMetadataEvent> metadata = new AtomicReference<>();
    ConverseStreamResponseHandler handler =
        ConverseStreamResponseHandler.builder()
            .subscriber(
                ConverseStreamResponseHandler.Visitor.builder()
                    .onMessageStart(e -> events.add("messageStart"))
                    .onContentBlockDelta(e -> text.append(e.delta().text()))
                    .onContentBlockStop(e -> events.add("contentBlockStop"))
                    .onMessageStop(e -> events.add("messageStop:" + e.stopReasonAsString()))
                    .onMetadata(metadata::set)
                    .build())
            .build();

    try (var async = AwsClients.asyncRuntime(sim, REGION, AwsClients.user(sim))) {
      async
          .converseStream(
              r ->
                  r.modelId(GPT_20B)
                      .messages(user("Stream this"))
                      .inferenceConfig(c -> c.maxTokens(100)),
              handler)
          .join();
    }

    assertThat(text.toString())
        .startsWith("Hello from bedrock/us-east-1/" + GPT_20B)
        .contains("Stream this");
    assertThat(events).containsExactly("messageStart", "contentBlockStop", "messageStop:end_turn");
    assertThat(metadata.get().usage().outputTokens()).isPositive();
  }

  @Test
  void aStreamCutShortEndsWithAThrottlingExceptionEventTheSdkRaises() {
    List<String> events = new ArrayList<>();
    ConverseStreamResponseHandler handler =
        ConverseStreamResponseHandler.builder()
            .subscriber(
                ConverseStreamResponseHandler.Visitor.builder()
                    .onMessageStart(e -> events.add("messageStart"))
                    .onContentBlockDelta(e -> events.add("delta"))
                    .build())
            .build();
    sim.faults().add(Fault.streamError(Service.BEDROCK_RUNTIME, REGION, 2));
    try (var async = AwsClients.asyncRuntime(sim, REGION, AwsClients.user(sim))) {
      Throwable failed =
          catchThrowableOfType(
              java.util.concurrent.CompletionException.class,
              () ->
                  async
                      .converseStream(
                          r ->
                              r.modelId(GPT_20B)
                                  .messages(user("one two three"))
                                  .inferenceConfig(c -> c.maxTokens(100)),
                          handler)
                      .join());

      assertThat(failed).hasCauseInstanceOf(ThrottlingException.class);
      // The SDK's retry strategy retries a throttled stream from the start: each attempt got
      // the same two events before the exception.
      assertThat(events).startsWith("messageStart", "delta").containsOnly("messageStart", "delta");
      assertThat(events.size() % 2).isZero();
    } finally {
      sim.faults().clear();
    }
  }

  @Test
  void enforcesTheSessionPolicyOfStsCredentials() {
    String policy =
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
          "Resource": "arn:aws:bedrock:*::foundation-model/openai.gpt-oss-120b-*"}]}
        """;
    AwsCredentialsProvider session = assumeRole("policy-session", policy);
    BedrockRuntimeClient limited = AwsClients.runtime(sim, REGION, session);

    assertThat(converse(limited, GPT_120B, "allowed", 50).usage().outputTokens()).isPositive();
    var denied =
        catchThrowableOfType(
            AccessDeniedException.class, () -> converse(limited, GPT_20B, "denied", 50));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.getMessage())
        .contains("assumed-role/crosswind-bedrock/policy-session")
        .contains("bedrock:InvokeModel")
        .contains("foundation-model/" + GPT_20B);
  }

  @Test
  void throttlesOnTokensPerMinuteReservingMaxTokens() {
    sim.bedrock().setRuntimeQuota(REGION, GPT_20B, new RuntimeQuota(100, 1_000));
    try {
      BedrockRuntimeClient noRetries =
          BedrockRuntimeClient.builder()
              .endpointOverride(java.net.URI.create(sim.bedrockRuntimeEndpoint(REGION)))
              .region(Region.of(REGION))
              .credentialsProvider(AwsClients.user(sim))
              .httpClient(AwsClients.http(sim))
              .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
              .build();
      ThrottlingException throttled = null;
      for (int i = 0; i < 3 && throttled == null; i++) {
        throttled =
            catchThrowableOfType(
                ThrottlingException.class, () -> converse(noRetries, GPT_20B, "big", 600));
      }
      assertThat(throttled).isNotNull();
      assertThat(throttled.statusCode()).isEqualTo(429);
      assertThat(throttled.getMessage()).contains("Too many tokens");
    } finally {
      sim.bedrock().setRuntimeQuota(REGION, GPT_20B, BedrockState.DEFAULT_RUNTIME_QUOTA);
    }
  }

  @Test
  void rejectsSignaturesScopedToAnotherRegion() {
    BedrockRuntimeClient wrongRegion =
        BedrockRuntimeClient.builder()
            .endpointOverride(java.net.URI.create(sim.bedrockRuntimeEndpoint(REGION)))
            .region(Region.US_WEST_2)
            .credentialsProvider(AwsClients.user(sim))
            .httpClient(AwsClients.http(sim))
            .build();

    var refused =
        catchThrowableOfType(
            BedrockRuntimeException.class, () -> converse(wrongRegion, GPT_20B, "hi", 10));

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
  }

  @Test
  void injectedFaultsHitTheRegionOrTheModel() {
    sim.faults().add(Fault.outage(Service.BEDROCK_RUNTIME, REGION));
    var outage =
        catchThrowableOfType(
            ServiceUnavailableException.class, () -> converse(runtime, GPT_20B, "hi", 10));
    assertThat(outage.statusCode()).isEqualTo(503);
    assertThat(
            converse(
                AwsClients.runtime(sim, "us-west-2", AwsClients.user(sim)),
                GPT_20B,
                "other region",
                10))
        .isNotNull();
    sim.faults().clear();

    sim.faults()
        .add(
            Fault.throttle(
                Service.BEDROCK_RUNTIME, REGION + "/" + GPT_120B, 0.5, Duration.ofMillis(10)));
    long before = sim.calls().count(Service.BEDROCK_RUNTIME, "Converse");
    converse(runtime, GPT_120B, "one, after a retry", 10);
    converse(runtime, GPT_120B, "two, after a retry", 10);
    converse(runtime, GPT_20B, "the other model is not throttled", 10);
    assertThat(sim.calls().count(Service.BEDROCK_RUNTIME, "Converse") - before)
        .as("every other call to the model is throttled and the SDK retries it")
        .isEqualTo(5);
    sim.faults().clear();

    sim.faults().add(Fault.latency(Service.BEDROCK_RUNTIME, REGION, Duration.ofMillis(700)));
    long started = System.nanoTime();
    converse(runtime, GPT_20B, "slow", 10);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(700));
    sim.faults().clear();

    sim.refuseConnections(Service.BEDROCK_RUNTIME);
    try {
      assertThat(
              catchThrowableOfType(
                  SdkClientException.class, () -> converse(runtime, GPT_20B, "hi", 10)))
          .isNotNull();
    } finally {
      sim.restore(Service.BEDROCK_RUNTIME);
    }
    assertThat(converse(runtime, GPT_20B, "back", 10)).isNotNull();
  }

  static ConverseResponse converse(
      BedrockRuntimeClient client, String model, String text, int maxTokens) {
    return client.converse(
        r -> r.modelId(model).messages(user(text)).inferenceConfig(c -> c.maxTokens(maxTokens)));
  }

  static Message user(String text) {
    return Message.builder()
        .role(ConversationRole.USER)
        .content(ContentBlock.fromText(text))
        .build();
  }

  static AwsCredentialsProvider assumeRole(String sessionName, String policy) {
    var c =
        AwsClients.sts(sim, REGION, AwsClients.user(sim))
            .assumeRole(
                r ->
                    r.roleArn(
                            "arn:aws:iam::"
                                + sim.credentials().awsAccountId()
                                + ":role/crosswind-bedrock")
                        .roleSessionName(sessionName)
                        .policy(policy))
            .credentials();
    return StsConformanceTest.session(c);
  }
}
