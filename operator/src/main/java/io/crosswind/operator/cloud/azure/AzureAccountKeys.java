package io.crosswind.operator.cloud.azure;

import com.azure.resourcemanager.cognitiveservices.fluent.AccountsClient;
import com.azure.resourcemanager.cognitiveservices.fluent.models.AccountInner;
import com.azure.resourcemanager.cognitiveservices.fluent.models.ApiKeysInner;
import com.azure.resourcemanager.cognitiveservices.models.KeyName;
import com.azure.resourcemanager.cognitiveservices.models.RegenerateKeyParameters;
import io.crosswind.operator.cloud.Credential;
import io.crosswind.operator.cloud.SharedReads;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.cloud.TargetObservation.CloudEvent;
import io.crosswind.operator.cloud.TargetRequest;
import io.crosswind.operator.cloud.Upstream;
import io.crosswind.operator.conditions.Reasons;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The account key a ready Azure target publishes, and its rotation with no moment where a published
 * key is invalid: regenerate the key no endpoint of the account publishes, publish it, let every
 * other endpoint of the account move to it, and only after the grace period regenerate the key that
 * was published before.
 */
final class AzureAccountKeys {

  static final String KEY1 = "key1";
  static final String KEY2 = "key2";

  /**
   * How old a read of an account's keys may be: always fresh for work a person waits for (a key
   * regenerated outside Crosswind is seen at once), five minutes for the resync of ready endpoints,
   * so that all the endpoints of an account share one listKeys (a write in ARM's buckets).
   */
  static final Duration KEYS_AGE_BACKGROUND = Duration.ofMinutes(5);

  private final Duration grace;
  private final Clock clock;
  private final SharedReads<ApiKeysInner> reads;

  AzureAccountKeys(Duration grace, Clock clock) {
    this.grace = grace;
    this.clock = clock;
    this.reads = new SharedReads<>(Duration.ZERO, KEYS_AGE_BACKGROUND, clock);
  }

  /**
   * The ready observation with the target's upstream and the key to publish. Keys belong to the
   * account, so a rotation is the account's: while any endpoint of the account retires a key, every
   * other endpoint that publishes it moves to the fresh one, and the retiring key is regenerated
   * only once no endpoint publishes it and the last one to move has had its grace.
   */
  TargetObservation serve(
      TargetRequest request,
      AccountsClient accounts,
      AccountInner account,
      String accountId,
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
    List<Credential> others =
        request.shared().publishedFrom(accountId).stream()
            .filter(c -> isAccountKey(c.name()))
            .toList();
    Optional<String> retiring =
        others.stream().map(Credential::pendingRevoke).filter(Objects::nonNull).findFirst();
    String readKey = accountId.toLowerCase(java.util.Locale.ROOT);
    ApiKeysInner keys = reads.get(readKey, () -> accounts.listKeys(rg, name));
    if (published == null || !isAccountKey(published.name())) {
      // Join the account where its other endpoints are: the key they publish, never one retiring.
      String key =
          others.stream()
              .map(Credential::name)
              .filter(k -> retiring.map(r -> !r.equals(k)).orElse(true))
              .findFirst()
              .orElse(retiring.map(AzureAccountKeys::other).orElse(KEY1));
      return ready.serving(upstream, fresh(key, keys, now, request.rotationRequest(), null));
    }
    if (published.pendingRevoke() != null) {
      String old = published.pendingRevoke();
      Instant due = latest(published, others).plus(grace);
      boolean stillUsed = others.stream().anyMatch(c -> old.equals(c.name()));
      if (stillUsed || now.isBefore(due)) {
        // Another endpoint of the account still publishes the old key, or moved off it so recently
        // that the gateway or its applications may still hold it: wait for it.
        Duration wait = now.isBefore(due) ? Duration.between(now, due) : grace;
        return ready.serving(upstream, published).recheckWithin(wait);
      }
      reads.put(readKey, regenerate(accounts, rg, name, old));
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
                          + old
                          + " regenerated; "
                          + published.name()
                          + " is published.")));
    }
    if (retiring.isPresent() && retiring.get().equals(published.name())) {
      // Another endpoint rotates the account's keys and is about to regenerate the one published
      // here: move to the fresh one first.
      String next = other(published.name());
      return ready
          .serving(upstream, fresh(next, keys, now, published.rotatedFor(), null))
          .withEvents(
              List.of(
                  new CloudEvent(
                      false,
                      Reasons.CREDENTIALS_SWITCHED,
                      "Account "
                          + name
                          + " is rotating its keys for another endpoint: "
                          + next
                          + " is published instead of "
                          + published.name()
                          + ", which is regenerated once no endpoint of the account publishes"
                          + " it.")));
    }
    if (request.rotationRequested()) {
      String next = other(published.name());
      if (retiring.isPresent() || others.stream().anyMatch(c -> next.equals(c.name()))) {
        // One rotation of the account at a time: this one starts when the other has finished.
        return ready.serving(upstream, published).recheckWithin(grace);
      }
      ApiKeysInner regenerated = regenerate(accounts, rg, name, next);
      reads.put(readKey, regenerated);
      return ready
          .serving(
              upstream, fresh(next, regenerated, now, request.rotationRequest(), published.name()))
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
                          + "s, once every endpoint of the account has moved to "
                          + next
                          + ".")));
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

  private static Credential fresh(
      String key, ApiKeysInner keys, Instant now, String rotatedFor, String pendingRevoke) {
    return new Credential(
        key,
        value(keys, key),
        Credential.Scheme.API_KEY_HEADER,
        now,
        null,
        rotatedFor,
        pendingRevoke);
  }

  /** When the last endpoint of the account, this one or another, published what it publishes. */
  private static Instant latest(Credential own, List<Credential> others) {
    Instant latest = own.publishedAt();
    for (Credential c : others) {
      if (c.publishedAt() != null && c.publishedAt().isAfter(latest)) {
        latest = c.publishedAt();
      }
    }
    return latest;
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
