package io.crosswind.operator.cloud.azure;

import com.azure.resourcemanager.cognitiveservices.fluent.AccountsClient;
import com.azure.resourcemanager.cognitiveservices.fluent.models.AccountInner;
import com.azure.resourcemanager.cognitiveservices.fluent.models.ApiKeysInner;
import com.azure.resourcemanager.cognitiveservices.models.KeyName;
import com.azure.resourcemanager.cognitiveservices.models.RegenerateKeyParameters;
import io.crosswind.operator.cloud.Credential;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.cloud.TargetObservation.CloudEvent;
import io.crosswind.operator.cloud.TargetRequest;
import io.crosswind.operator.cloud.Upstream;
import io.crosswind.operator.conditions.Reasons;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The account key a ready Azure target publishes, and its rotation with no moment where the
 * published key is invalid: regenerate the key that is not published, publish it, and only after
 * the grace period regenerate the key that was published before.
 */
final class AzureAccountKeys {

  static final String KEY1 = "key1";
  static final String KEY2 = "key2";

  private final Duration grace;
  private final Clock clock;

  AzureAccountKeys(Duration grace, Clock clock) {
    this.grace = grace;
    this.clock = clock;
  }

  /** The ready observation with the target's upstream and the key to publish. */
  TargetObservation serve(
      TargetRequest request,
      AccountsClient accounts,
      AccountInner account,
      String deployment,
      TargetObservation ready) {
    String rg = request.target().getAzure().getResourceGroup();
    String name = account.name();
    Upstream upstream =
        new Upstream(
            Upstream.Api.OPENAI,
            stripSlash(account.properties().endpoint()) + "/openai/v1",
            deployment,
            account.location());
    Instant now = clock.instant();
    Credential published = request.published();
    ApiKeysInner keys = accounts.listKeys(rg, name);
    if (published == null || !isAccountKey(published.name())) {
      return ready.serving(
          upstream,
          new Credential(
              KEY1,
              keys.key1(),
              Credential.Scheme.API_KEY_HEADER,
              now,
              null,
              request.rotationRequest(),
              null));
    }
    if (published.pendingRevoke() != null) {
      Instant due = published.publishedAt().plus(grace);
      if (now.isBefore(due)) {
        return ready.serving(upstream, published).recheckWithin(Duration.between(now, due));
      }
      regenerate(accounts, rg, name, published.pendingRevoke());
      return ready
          .serving(upstream, published.withPendingRevoke(null))
          .withEvents(
              List.of(
                  new CloudEvent(
                      false,
                      Reasons.CREDENTIALS_ROTATED,
                      "Account "
                          + name
                          + " key "
                          + published.pendingRevoke()
                          + " regenerated; "
                          + published.name()
                          + " is published.")));
    }
    if (request.rotationRequested()) {
      String next = other(published.name());
      ApiKeysInner fresh = regenerate(accounts, rg, name, next);
      return ready
          .serving(
              upstream,
              new Credential(
                  next,
                  value(fresh, next),
                  Credential.Scheme.API_KEY_HEADER,
                  now,
                  null,
                  request.rotationRequest(),
                  published.name()))
          .recheckWithin(grace)
          .withEvents(
              List.of(
                  new CloudEvent(
                      false,
                      Reasons.CREDENTIALS_ROTATING,
                      "Rotating the keys of account "
                          + name
                          + ": published a regenerated "
                          + next
                          + "; "
                          + published.name()
                          + " is regenerated in "
                          + grace.toSeconds()
                          + "s.")));
    }
    String current = value(keys, published.name());
    if (!current.equals(published.value())) {
      return ready
          .serving(
              upstream,
              new Credential(
                  published.name(),
                  current,
                  Credential.Scheme.API_KEY_HEADER,
                  now,
                  null,
                  published.rotatedFor(),
                  null))
          .withEvents(
              List.of(
                  new CloudEvent(
                      true,
                      "CredentialsReplaced",
                      "Key "
                          + published.name()
                          + " of account "
                          + name
                          + " was regenerated, by another endpoint's rotation in the same account"
                          + " or outside Crosswind; the new value is published.")));
    }
    return ready.serving(upstream, published);
  }

  private static ApiKeysInner regenerate(
      AccountsClient accounts, String rg, String account, String key) {
    return accounts.regenerateKey(
        rg,
        account,
        new RegenerateKeyParameters().withKeyName(KEY1.equals(key) ? KeyName.KEY1 : KeyName.KEY2));
  }

  private static boolean isAccountKey(String name) {
    return KEY1.equals(name) || KEY2.equals(name);
  }

  private static String other(String key) {
    return KEY1.equals(key) ? KEY2 : KEY1;
  }

  private static String value(ApiKeysInner keys, String key) {
    return KEY1.equals(key) ? keys.key1() : keys.key2();
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
