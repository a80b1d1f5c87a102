package io.crosswind.operator.cloud.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crosswind.api.v1alpha1.BedrockTarget;
import io.crosswind.api.v1alpha1.BedrockThroughput;
import io.crosswind.api.v1alpha1.Commitment;
import io.crosswind.api.v1alpha1.ThroughputMode;
import io.crosswind.operator.cloud.Owner;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Names, idempotency tokens, session policies and backoff: decided from values alone. */
class BedrockTargetSpecTest {

  static final String PROFILE_NAME = "([0-9a-zA-Z][ _-]?)+";
  static final String THROUGHPUT_NAME = "([0-9a-zA-Z][_-]?)+";
  static final String TOKEN = "[a-zA-Z0-9](-*[a-zA-Z0-9])*";

  static BedrockTarget provisioned(int units, Commitment commitment) {
    BedrockThroughput throughput = new BedrockThroughput();
    throughput.setMode(ThroughputMode.Provisioned);
    throughput.setModelUnits(units);
    throughput.setCommitment(commitment);
    BedrockTarget target = new BedrockTarget();
    target.setRegion("us-east-1");
    target.setModelId("amazon.nova-pro-v1:0:300k");
    target.setThroughput(throughput);
    return target;
  }

  @Test
  void derivedNamesFitBothResourceKindsNeverChangeAndKeepClustersApart() {
    String longName = "a".repeat(60) + ".example." + "b".repeat(60);
    Owner owner = new Owner("prod-eu", "payments-platform-team", longName);
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      String target = "t" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
      String name = BedrockTargetSpec.derivedName(owner, target);
      assertThat(name).hasSizeLessThanOrEqualTo(63).matches(PROFILE_NAME).matches(THROUGHPUT_NAME);
      assertThat(BedrockTargetSpec.derivedName(owner, target)).isEqualTo(name);
    }
    assertThat(BedrockTargetSpec.derivedName(new Owner("c", "payments", "chat"), "use1"))
        .matches("payments-chat-use1-[0-9a-f]{16}")
        .isNotEqualTo(
            BedrockTargetSpec.derivedName(new Owner("other-cluster", "payments", "chat"), "use1"));
  }

  @Test
  void aThroughputTokenChangesWithTheDesiredStateAndNothingElse() {
    Owner owner = new Owner("c", "payments", "chat");
    String one = BedrockTargetSpec.of(owner, "pt", provisioned(1, null), null).throughputToken();

    assertThat(
            BedrockTargetSpec.of(owner, "pt", provisioned(1, Commitment.None), "arn:role")
                .throughputToken())
        .as("no commitment is None; the role is not part of what is bought")
        .isEqualTo(one);
    assertThat(BedrockTargetSpec.of(owner, "pt", provisioned(2, null), null).throughputToken())
        .isNotEqualTo(one);
    assertThat(
            BedrockTargetSpec.of(owner, "pt", provisioned(1, Commitment.OneMonth), null)
                .throughputToken())
        .isNotEqualTo(one);
    assertThat(BedrockTargetSpec.of(owner, "pt2", provisioned(1, null), null).throughputToken())
        .isNotEqualTo(one);
    assertThat(one).matches(TOKEN).hasSizeLessThanOrEqualTo(256);
  }

  @Test
  void anEndpointMadeAgainUnderTheSameNameNeverReplaysItsPredecessorsPurchase() {
    Owner first = new Owner("c", "payments", "chat", "uid-1");
    Owner again = new Owner("c", "payments", "chat", "uid-2");

    String before = BedrockTargetSpec.of(first, "pt", provisioned(1, null), null).throughputToken();

    assertThat(BedrockTargetSpec.of(first, "pt", provisioned(1, null), null).throughputToken())
        .as("a restart of the operator sees the same uid")
        .isEqualTo(before);
    assertThat(BedrockTargetSpec.of(again, "pt", provisioned(1, null), null).throughputToken())
        .isNotEqualTo(before);
    assertThat(first.tagValue()).isEqualTo(again.tagValue()).isEqualTo("c/payments/chat");
  }

  @Test
  void theSessionPolicyAllowsBearerTokensAndInvokingExactlyTheTargetsResources() throws Exception {
    List<String> arns =
        List.of(
            "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc",
            "arn:aws:bedrock:us-east-1::foundation-model/openai.gpt-oss-20b-1:0",
            "arn:aws:bedrock:us-east-1::foundation-model/openai.gpt-oss-20b-1:0");

    JsonNode policy = new ObjectMapper().readTree(BedrockApiKeyMinter.sessionPolicy(arns));

    JsonNode bearer = policy.path("Statement").get(0);
    JsonNode invoke = policy.path("Statement").get(1);
    assertThat(bearer.path("Action").asText()).isEqualTo("bedrock:CallWithBearerToken");
    assertThat(bearer.path("Resource").asText()).isEqualTo("*");
    assertThat(invoke.path("Action"))
        .extracting(JsonNode::asText)
        .containsExactly("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream");
    assertThat(invoke.path("Resource"))
        .extracting(JsonNode::asText)
        .containsExactly(arns.get(0), arns.get(1));
    assertThat(policy.toString()).doesNotContain("Condition").doesNotContain("\"*\"]");
  }

  @Test
  void emptyOperatorFlagsMeanAwsOwnEndpointsAndKeysOfOneHour() {
    BedrockSettings settings = BedrockSettings.forOperator("", " ", null, null, "", null);

    assertThat(settings.defaultRoleArn()).isNull();
    assertThat(settings.bedrockEndpoint()).isNull();
    assertThat(settings.stsEndpoint()).isNull();
    assertThat(settings.runtimeEndpoint("eu-west-1"))
        .isEqualTo("https://bedrock-runtime.eu-west-1.amazonaws.com");
    assertThat(settings.mantleEndpoint("eu-west-1"))
        .isEqualTo("https://bedrock-mantle.eu-west-1.api.aws");
    assertThat(settings.keyLifetime()).isEqualTo(Duration.ofHours(1));
    assertThat(
            BedrockSettings.forOperator(
                    "arn:aws:iam::111122223333:role/r",
                    null,
                    "https://rt.example/{region}",
                    null,
                    null,
                    null)
                .runtimeEndpoint("us-east-2"))
        .isEqualTo("https://rt.example/us-east-2");
  }

  @Test
  void backoffGrowsWithEachFailureInARowWithJitterAndACap() {
    RetryBackoff backoff = new RetryBackoff(new Random(3));
    Duration base = Duration.ofSeconds(20);
    for (int n = 1; n <= 8; n++) {
      Duration ceiling = base.multipliedBy(1L << (n - 1));
      ceiling = ceiling.compareTo(RetryBackoff.CAP) > 0 ? RetryBackoff.CAP : ceiling;
      assertThat(backoff.next("t", base)).isBetween(ceiling.dividedBy(2), ceiling);
    }
    backoff.reset("t");
    assertThat(backoff.next("t", base)).isBetween(base.dividedBy(2), base);
  }
}
