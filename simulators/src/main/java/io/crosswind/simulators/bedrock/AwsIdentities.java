package io.crosswind.simulators.bedrock;

import io.crosswind.simulators.TestCredentials;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The AWS principals the simulated account knows: the IAM user of the test credentials, and the
 * temporary role sessions STS issued, each with its session policy (if AssumeRole was given one).
 * The IAM user and the roles themselves may do everything; a session may do what its session policy
 * allows (see {@link SessionPolicy}).
 */
public final class AwsIdentities {

  /** The IAM user the long-term test access key belongs to. */
  public static final String USER_NAME = "crosswind-simulator";

  /**
   * One set of credentials and who they stand for.
   *
   * @param sessionToken null for the long-term IAM user key
   * @param expiration null for the long-term key
   * @param arn the caller ARN GetCallerIdentity reports
   * @param userId the caller's unique id (AIDA... for a user, AROA...:session for a role session)
   * @param sessionPolicy the inline session policy JSON, or null for none
   * @param roleSession whether these are role-session credentials (role chaining limits apply)
   */
  public record Identity(
      String accessKeyId,
      String secretAccessKey,
      String sessionToken,
      Instant expiration,
      String arn,
      String userId,
      String sessionPolicy,
      boolean roleSession) {

    public boolean expired(Instant now) {
      return expiration != null && !now.isBefore(expiration);
    }

    @Override
    public String toString() {
      return "Identity[" + accessKeyId + ", " + arn + ", secrets hidden]";
    }
  }

  /** The account an identity belongs to: the fifth field of its ARN. */
  public static String accountOf(Identity identity) {
    String[] parts = identity.arn().split(":");
    return parts.length > 4 ? parts[4] : "unknown";
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private final String account;
  private final Map<String, Identity> byAccessKey = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> trustTags = new ConcurrentHashMap<>();
  private volatile boolean userAssumesOnly;

  public AwsIdentities(TestCredentials credentials) {
    this.account = credentials.awsAccountId();
    byAccessKey.put(
        credentials.awsAccessKeyId(),
        new Identity(
            credentials.awsAccessKeyId(),
            credentials.awsSecretAccessKey(),
            null,
            null,
            "arn:aws:iam::" + account + ":user/" + USER_NAME,
            "AIDA" + randomId(17),
            null,
            false));
  }

  public String account() {
    return account;
  }

  public Optional<Identity> find(String accessKeyId) {
    return Optional.ofNullable(accessKeyId).map(byAccessKey::get);
  }

  /**
   * Gives a role a trust policy that admits a session only with these session tags, as a condition
   * {@code StringEquals "aws:RequestTag/<key>": "<value>"} for each (with {@code sts:TagSession}
   * allowed) does in IAM: an AssumeRole without them, or with another value, is refused.
   */
  public void requireSessionTags(String roleName, Map<String, String> tags) {
    trustTags.put(roleName, Map.copyOf(tags));
  }

  /**
   * Gives the IAM user an identity policy that allows only {@code sts:AssumeRole} and {@code
   * sts:TagSession}, as docs/security.md recommends for the operator's own identity: a Bedrock call
   * signed with the long-term key is then refused, and only role sessions reach Bedrock.
   */
  public void userMayOnlyAssumeRoles() {
    userAssumesOnly = true;
  }

  /** Whether the caller's identity policies refuse it every service but STS. */
  boolean onlyAssumesRoles(Identity caller) {
    return userAssumesOnly && !caller.roleSession();
  }

  /** Whether the role's trust policy admits a session with these tags. */
  boolean trusts(String roleName, Map<String, String> sessionTags) {
    Map<String, String> required = trustTags.get(roleName);
    return required == null
        || required.entrySet().stream()
            .allMatch(e -> e.getValue().equals(sessionTags.get(e.getKey())));
  }

  /** Issues role-session credentials, as AssumeRole does. */
  Identity issueSession(
      String roleName, String sessionName, Instant expiration, String sessionPolicy) {
    byte[] secret = new byte[30];
    RANDOM.nextBytes(secret);
    byte[] token = new byte[96];
    RANDOM.nextBytes(token);
    Identity session =
        new Identity(
            "ASIA" + randomId(16),
            Base64.getEncoder().encodeToString(secret),
            "IQoJb3JpZ2luX2Vj" + Base64.getEncoder().encodeToString(token),
            expiration,
            "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + sessionName,
            "AROA" + roleId(roleName) + ":" + sessionName,
            sessionPolicy,
            true);
    byAccessKey.put(session.accessKeyId(), session);
    return session;
  }

  /** Makes a session's credentials expire now, to test refresh. */
  public void expire(String accessKeyId) {
    byAccessKey.computeIfPresent(
        accessKeyId,
        (k, i) ->
            i.expiration() == null
                ? i
                : new Identity(
                    i.accessKeyId(),
                    i.secretAccessKey(),
                    i.sessionToken(),
                    Instant.EPOCH,
                    i.arn(),
                    i.userId(),
                    i.sessionPolicy(),
                    true));
  }

  /** A stable unique id per role name, as IAM keeps one per role. */
  private static String roleId(String roleName) {
    StringBuilder out = new StringBuilder();
    int hash = roleName.hashCode();
    for (int i = 0; i < 17; i++) {
      out.append(ALPHANUMERIC.charAt(Math.floorMod(hash * 31 + i * 7919, ALPHANUMERIC.length())));
      hash = hash * 31 + i;
    }
    return out.toString();
  }

  private static String randomId(int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
    }
    return out.toString();
  }

  static Duration remaining(Identity identity, Instant now) {
    return identity.expiration() == null
        ? Duration.ofDays(36500)
        : Duration.between(now, identity.expiration());
  }
}
