package io.crosswind.simulators.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.SimulatorsExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.sts.model.StsException;

/** STS (API 2011-06-15, Query protocol) driven by the real StsClient. */
class StsConformanceTest {

  static final String REGION = "us-east-1";

  @RegisterExtension static SimulatorsExtension clouds = SimulatorsExtension.withDefaults();

  static Simulators sim;
  static StsClient sts;
  static String roleArn;

  @BeforeAll
  static void start() {
    sim = clouds.get();
    sts = AwsClients.sts(sim, REGION, AwsClients.user(sim));
    roleArn = "arn:aws:iam::" + sim.credentials().awsAccountId() + ":role/crosswind-bedrock";
  }

  @Test
  void aRoleWhoseTrustPolicyAsksForASessionTagAdmitsOnlyThatTag() {
    String team = "arn:aws:iam::" + sim.credentials().awsAccountId() + ":role/payments-bedrock";
    sim.awsIdentities()
        .requireSessionTags(
            "payments-bedrock", java.util.Map.of("crosswind.io/namespace", "payments"));

    StsException untagged =
        catchThrowableOfType(
            StsException.class, () -> sts.assumeRole(r -> r.roleArn(team).roleSessionName("op")));
    StsException otherTeam =
        catchThrowableOfType(
            StsException.class,
            () ->
                sts.assumeRole(
                    r ->
                        r.roleArn(team)
                            .roleSessionName("op")
                            .tags(t -> t.key("crosswind.io/namespace").value("evil"))));
    var admitted =
        sts.assumeRole(
            r ->
                r.roleArn(team)
                    .roleSessionName("op")
                    .tags(
                        t -> t.key("crosswind.io/namespace").value("payments"),
                        t -> t.key("crosswind.io/endpoint").value("chat")));

    for (StsException refused : java.util.List.of(untagged, otherTeam)) {
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
      assertThat(refused.awsErrorDetails().errorMessage())
          .endsWith("is not authorized to perform: sts:AssumeRole on resource: " + team);
    }
    assertThat(admitted.credentials().accessKeyId()).startsWith("ASIA");
  }

  @Test
  void aUserThatMayOnlyAssumeRolesReachesBedrockOnlyThroughARoleSession() {
    try (Simulators own = Simulators.start()) {
      own.awsIdentities().userMayOnlyAssumeRoles();
      var asUser = AwsClients.bedrock(own, REGION, AwsClients.user(own));
      var refused =
          catchThrowableOfType(
              software.amazon.awssdk.services.bedrock.model.BedrockException.class,
              () -> asUser.listFoundationModels(r -> {}));
      var assumed =
          AwsClients.sts(own, REGION, AwsClients.user(own))
              .assumeRole(
                  r ->
                      r.roleArn(
                              "arn:aws:iam::"
                                  + own.credentials().awsAccountId()
                                  + ":role/crosswind-bedrock")
                          .roleSessionName("operator"));
      var asRole = AwsClients.bedrock(own, REGION, session(assumed.credentials()));

      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
      assertThat(refused.awsErrorDetails().errorMessage())
          .contains(":user/crosswind-simulator is not authorized to perform:")
          .endsWith(
              "because no identity-based policy allows the bedrock:ListFoundationModels"
                  + " action");
      assertThat(asRole.listFoundationModels(r -> {}).modelSummaries()).isNotEmpty();
    }
  }

  @Test
  void assumesARoleAndTheSessionKnowsWhoItIs() {
    var assumed =
        sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("operator").durationSeconds(900));
    Credentials c = assumed.credentials();
    var asSession = AwsClients.sts(sim, REGION, session(c));

    var who = asSession.getCallerIdentity(r -> {});
    var user = sts.getCallerIdentity(r -> {});

    assertThat(c.accessKeyId()).startsWith("ASIA");
    assertThat(c.expiration()).isAfter(java.time.Instant.now().plusSeconds(800));
    assertThat(assumed.assumedRoleUser().arn())
        .isEqualTo(
            "arn:aws:sts::"
                + sim.credentials().awsAccountId()
                + ":assumed-role/crosswind-bedrock/operator");
    assertThat(who.arn()).isEqualTo(assumed.assumedRoleUser().arn());
    assertThat(who.userId()).isEqualTo(assumed.assumedRoleUser().assumedRoleId());
    assertThat(user.account()).isEqualTo(sim.credentials().awsAccountId());
    assertThat(user.arn()).endsWith(":user/crosswind-simulator");
  }

  @Test
  void refusesDurationsBeyondTheRoleAndRoleChainingLimits() {
    var tooLong =
        catchThrowableOfType(
            StsException.class,
            () ->
                sts.assumeRole(
                    r -> r.roleArn(roleArn).roleSessionName("long").durationSeconds(7200)));
    Credentials c = sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("first")).credentials();
    var chained =
        catchThrowableOfType(
            StsException.class,
            () ->
                AwsClients.sts(sim, REGION, session(c))
                    .assumeRole(
                        r -> r.roleArn(roleArn).roleSessionName("second").durationSeconds(7200)));

    assertThat(tooLong.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
    assertThat(tooLong.awsErrorDetails().errorMessage()).contains("MaxSessionDuration");
    assertThat(chained.awsErrorDetails().errorMessage()).contains("role chaining");
  }

  @Test
  void refusesMalformedPoliciesAndOtherAccountsRoles() {
    var malformed =
        catchThrowableOfType(
            MalformedPolicyDocumentException.class,
            () ->
                sts.assumeRole(
                    r -> r.roleArn(roleArn).roleSessionName("malformed").policy("{not json")));
    var foreign =
        catchThrowableOfType(
            StsException.class,
            () ->
                sts.assumeRole(
                    r ->
                        r.roleArn("arn:aws:iam::999999999999:role/someone-else")
                            .roleSessionName("x1")));

    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
  }

  @Test
  void rejectsBadSignaturesAndUnknownKeys() {
    var badSignature =
        catchThrowableOfType(
            StsException.class,
            () ->
                AwsClients.sts(
                        sim,
                        REGION,
                        StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(
                                sim.credentials().awsAccessKeyId(), "wrong")))
                    .getCallerIdentity(r -> {}));
    var unknown =
        catchThrowableOfType(
            StsException.class,
            () ->
                AwsClients.sts(
                        sim,
                        REGION,
                        StaticCredentialsProvider.create(
                            AwsBasicCredentials.create("AKIANOBODY00000000", "x")))
                    .getCallerIdentity(r -> {}));

    assertThat(badSignature.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
    assertThat(unknown.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
    assertThat(unknown.requestId()).isNotBlank();
  }

  static StaticCredentialsProvider session(Credentials c) {
    return StaticCredentialsProvider.create(
        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
  }
}
