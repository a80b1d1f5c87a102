package io.crosswind.operator.cloud.bedrock;

import io.crosswind.operator.cloud.CloudError;
import io.crosswind.operator.cloud.Hashes;
import io.crosswind.operator.cloud.ManagementPacer;
import io.crosswind.operator.cloud.Owner;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.Tag;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The SDK clients of one region and identity, cached: the identity is the operator's own (the
 * default chain) or a target's credentials Secret, and, when a role is set, the role assumed from
 * it. The Secret's values key the cache only through a digest and are never logged.
 */
final class BedrockConnections {

  static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";

  /** The session tag naming the endpoint's namespace, on every role session Crosswind opens. */
  static final String NAMESPACE_TAG = "crosswind.io/namespace";

  /** The session tag naming the endpoint, on the sessions that sign its API keys. */
  static final String ENDPOINT_TAG = "crosswind.io/endpoint";

  /** The role session name of the operator's control-plane calls. */
  static final String CONTROL_PLANE_SESSION = "crosswind-operator";

  /**
   * Clients for a region and identity, or why there are none.
   *
   * @param sts STS signed by the base identity (not the role): AssumeRole for scoped keys
   * @param bedrock the control plane, as the role when one is set
   * @param key the cache key of region and identity, for caches of what the account holds
   */
  record Connection(
      String region,
      String roleArn,
      BedrockClient bedrock,
      StsClient sts,
      String key,
      CloudError error) {

    /**
     * Whether the resource carries this endpoint's ownership tag. A resource found to be ours is
     * remembered by ARN (an ARN is never reused for another resource while it exists), so that a
     * ready target costs no ListTagsForResource on every reconcile.
     */
    boolean owns(String arn, Owner owner) {
      String verified = arn + "|" + owner.tagValue();
      if (OWNED.contains(verified)) {
        return true;
      }
      boolean owned =
          owner.owns(
              bedrock.listTagsForResource(r -> r.resourceARN(arn)).tags().stream()
                  .collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b)));
      if (owned) {
        OWNED.add(verified);
      }
      return owned;
    }

    /** Forgets what was learnt of a resource that was deleted. */
    static void forget(String arn) {
      OWNED.removeIf(v -> v.startsWith(arn + "|"));
    }

    /** The ownership tag for what Crosswind creates. */
    static Tag ownerTag(Owner owner) {
      return Tag.builder().key(Owner.TAG).value(owner.tagValue()).build();
    }
  }

  /** ARNs with the owner tag each was found to carry, as "arn|tag value". */
  private static final java.util.Set<String> OWNED = ConcurrentHashMap.newKeySet();

  private final BedrockSettings settings;
  private final ManagementPacer pacer;
  private final Map<String, StsClient> stsClients = new ConcurrentHashMap<>();
  private final Map<String, BedrockClient> bedrockClients = new ConcurrentHashMap<>();

  BedrockConnections(BedrockSettings settings, ManagementPacer pacer) {
    this.settings = settings;
    this.pacer = pacer;
  }

  /**
   * @param namespace the endpoint's namespace: a session of {@code roleArn} carries it as the
   *     session tag {@value #NAMESPACE_TAG}, so the role's trust policy can refuse every other
   *     namespace
   */
  Connection connect(String region, String roleArn, Map<String, String> secret, String namespace) {
    if (!secret.isEmpty()) {
      List<String> missing =
          List.of(ACCESS_KEY_ID, SECRET_ACCESS_KEY).stream()
              .filter(k -> secret.get(k) == null || secret.get(k).isBlank())
              .toList();
      if (!missing.isEmpty()) {
        return new Connection(
            region,
            roleArn,
            null,
            null,
            null,
            new CloudError(
                "CredentialsInvalid",
                "The credentials Secret needs "
                    + ACCESS_KEY_ID
                    + " and "
                    + SECRET_ACCESS_KEY
                    + " (and "
                    + SESSION_TOKEN
                    + " for temporary credentials); missing: "
                    + String.join(", ", missing)
                    + ".",
                BedrockErrors.CONFIGURATION));
      }
    }
    String identity = region + "|" + (secret.isEmpty() ? "operator" : Hashes.fingerprint(secret));
    StsClient sts =
        stsClients.computeIfAbsent(
            identity, k -> sts(region, base(secret), new AwsPacing(pacer, "sts", identity)));
    String key = identity + "|" + (roleArn == null ? "" : roleArn + "|" + namespace);
    // AWS counts a role's calls against the role's account; every session in it shares one bucket.
    String account = AwsPacing.accountOf(roleArn);
    String paced = account == null ? identity : region + "|" + account;
    BedrockClient bedrock =
        bedrockClients.computeIfAbsent(
            key,
            k ->
                bedrock(
                    region,
                    controlPlane(sts, secret, roleArn, namespace),
                    new AwsPacing(pacer, "bedrock", paced)));
    return new Connection(region, roleArn, bedrock, sts, key, null);
  }

  private AwsCredentialsProvider base(Map<String, String> secret) {
    if (secret.isEmpty()) {
      return settings.baseCredentials();
    }
    String token = secret.get(SESSION_TOKEN);
    return StaticCredentialsProvider.create(
        token == null || token.isBlank()
            ? AwsBasicCredentials.create(secret.get(ACCESS_KEY_ID), secret.get(SECRET_ACCESS_KEY))
            : AwsSessionCredentials.create(
                secret.get(ACCESS_KEY_ID), secret.get(SECRET_ACCESS_KEY), token));
  }

  private AwsCredentialsProvider controlPlane(
      StsClient sts, Map<String, String> secret, String roleArn, String namespace) {
    if (roleArn == null) {
      return base(secret);
    }
    return StsAssumeRoleCredentialsProvider.builder()
        .stsClient(sts)
        .asyncCredentialUpdateEnabled(false)
        .refreshRequest(
            r ->
                r.roleArn(roleArn)
                    .roleSessionName(CONTROL_PLANE_SESSION)
                    .tags(sessionTag(NAMESPACE_TAG, namespace)))
        .build();
  }

  /** A session tag of an AssumeRole. */
  static software.amazon.awssdk.services.sts.model.Tag sessionTag(String key, String value) {
    return software.amazon.awssdk.services.sts.model.Tag.builder().key(key).value(value).build();
  }

  private StsClient sts(String region, AwsCredentialsProvider credentials, AwsPacing pacing) {
    var builder =
        configure(
            StsClient.builder(), region, BedrockSettings.endpoint(settings.stsEndpoint(), region));
    builder.overrideConfiguration(overrides().toBuilder().addExecutionInterceptor(pacing).build());
    return builder.credentialsProvider(credentials).build();
  }

  private BedrockClient bedrock(
      String region, AwsCredentialsProvider credentials, AwsPacing pacing) {
    var builder =
        configure(
            BedrockClient.builder(),
            region,
            BedrockSettings.endpoint(settings.bedrockEndpoint(), region));
    builder.overrideConfiguration(overrides().toBuilder().addExecutionInterceptor(pacing).build());
    return builder.credentialsProvider(credentials).build();
  }

  /**
   * Region, endpoint, HTTP client, few retries and a bounded call time: what every client shares.
   */
  <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
      B builder, String region, String endpoint) {
    builder.region(Region.of(region)).httpClient(settings.httpClient());
    if (endpoint != null) {
      builder.endpointOverride(URI.create(endpoint));
    }
    builder.overrideConfiguration(overrides());
    return builder;
  }

  ClientOverrideConfiguration overrides() {
    return ClientOverrideConfiguration.builder()
        .retryStrategy(
            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(settings.maxAttempts())
                .build())
        .apiCallTimeout(settings.callTimeout())
        .build();
  }
}
