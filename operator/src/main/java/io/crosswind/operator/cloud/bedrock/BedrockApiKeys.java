package io.crosswind.operator.cloud.bedrock;

import io.crosswind.operator.cloud.CloudError;
import io.crosswind.operator.cloud.Credential;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.cloud.TargetObservation.CloudEvent;
import io.crosswind.operator.cloud.TargetRequest;
import io.crosswind.operator.cloud.Upstream;
import io.crosswind.operator.cloud.bedrock.BedrockConnections.Connection;
import io.crosswind.operator.conditions.Reasons;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Bedrock API key a ready target publishes: the published one while it is far from expiry, a
 * new one at {@code keyRenewal} of its life or at once on a rotation request. A replaced key is not
 * revoked (short-term keys cannot be); it expires on its own, so there is no moment in which the
 * published key is invalid.
 */
final class BedrockApiKeys {

  private static final Logger LOG = LoggerFactory.getLogger(BedrockApiKeys.class);

  private final BedrockApiKeyMinter minter;
  private final double renewal;
  private final Clock clock;

  BedrockApiKeys(BedrockSettings settings) {
    this.minter = new BedrockApiKeyMinter(settings.clock(), settings.keyLifetime());
    this.renewal = settings.keyRenewal();
    this.clock = settings.clock();
  }

  /** The ready observation with the target's upstream and the key to publish. */
  TargetObservation serve(
      TargetRequest request,
      BedrockTargetSpec spec,
      Connection connection,
      BedrockResource resource,
      Upstream upstream) {
    TargetObservation ready = resource.observation();
    Credential published = request.published();
    Instant now = clock.instant();
    ApiKeyRenewal decision =
        ApiKeyRenewal.decide(
            published, request.rotationRequested(), resource.createdAt(), now, renewal);
    if (!decision.mint()) {
      return ready.serving(upstream, published).recheckWithin(decision.recheckAfter());
    }
    Credential fresh;
    try {
      fresh = minter.mint(connection.sts(), spec, resource.scope(), request.rotationRequest());
    } catch (RuntimeException e) {
      return notMinted(request, spec, ready, upstream, BedrockErrors.classify(e), now);
    }
    LOG.info(
        "Bedrock target {}: minted an API key ({}), valid until {}",
        request,
        decision.why(),
        fresh.expiresAt());
    TargetObservation served =
        ready
            .serving(upstream, fresh)
            .recheckWithin(
                ApiKeyRenewal.atLeast(
                    java.time.Duration.between(now, ApiKeyRenewal.renewalDue(fresh, renewal))));
    if (ApiKeyRenewal.ROTATION.equals(decision.why())) {
      return served.withEvents(
          List.of(
              new CloudEvent(
                  false,
                  Reasons.CREDENTIALS_ROTATED,
                  "Published a new Bedrock API key for target "
                      + spec.target()
                      + " as asked; the previous key stays valid until it expires at "
                      + published.expiresAt()
                      + ".")));
    }
    return served;
  }

  /**
   * Minting failed: a published key that is still valid stays published and the failure is a
   * warning; without one the target cannot be served.
   */
  private static TargetObservation notMinted(
      TargetRequest request,
      BedrockTargetSpec spec,
      TargetObservation ready,
      Upstream upstream,
      CloudError error,
      Instant now) {
    Credential published = request.published();
    LOG.info("Bedrock target {}: no API key minted: {}", request, error.reason());
    boolean stillValid =
        published != null
            && BedrockApiKeyMinter.CREDENTIAL_NAME.equals(published.name())
            && published.expiresAt() != null
            && published.expiresAt().isAfter(now.plus(ApiKeyRenewal.MIN_RECHECK));
    CloudError failure =
        new CloudError(
            error.reason(),
            "Crosswind could not mint a Bedrock API key for target "
                + spec.target()
                + " with role "
                + spec.roleArn()
                + ": "
                + error.message(),
            error.retryAfter());
    if (!stillValid) {
      return TargetObservation.failed(failure, ready.resourceId());
    }
    return ready
        .serving(upstream, published)
        .recheckWithin(failure.retryAfter())
        .withEvents(List.of(new CloudEvent(true, "CredentialsRenewalFailed", failure.message())));
  }
}
