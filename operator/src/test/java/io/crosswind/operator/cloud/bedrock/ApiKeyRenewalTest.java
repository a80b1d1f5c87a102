package io.crosswind.operator.cloud.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.operator.cloud.Credential;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** When the published Bedrock API key stays and when a new one is minted. */
class ApiKeyRenewalTest {

  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  static Credential key(Instant publishedAt, Duration life) {
    return new Credential(
        "bedrock-api-key",
        "bedrock-api-key-xyz",
        Credential.Scheme.BEARER,
        publishedAt,
        publishedAt.plus(life),
        null,
        null);
  }

  @Test
  void aKeyStaysUntilHalfItsLifeAndTheReconcileComesBackByThen() {
    Random random = new Random(11);
    for (int i = 0; i < 500; i++) {
      Duration life = Duration.ofSeconds(900 + random.nextInt(43_200 - 900));
      Duration age = Duration.ofSeconds(random.nextInt((int) life.toSeconds()));
      ApiKeyRenewal decision =
          ApiKeyRenewal.decide(key(T0, life), false, T0.minusSeconds(60), T0.plus(age), 0.5);

      if (age.compareTo(life.dividedBy(2)) < 0) {
        assertThat(decision.mint()).isFalse();
        assertThat(T0.plus(age).plus(decision.recheckAfter()))
            .as("back no later than the renewal time, with half the life still left")
            .isBeforeOrEqualTo(T0.plus(life.dividedBy(2)).plus(ApiKeyRenewal.MIN_RECHECK));
      } else {
        assertThat(decision.mint()).isTrue();
        assertThat(decision.why()).isEqualTo(ApiKeyRenewal.RENEWAL);
      }
    }
  }

  @Test
  void aNewKeyIsMintedAtOnceWhenThereIsNoneOnRequestAndForAReplacedResource() {
    Credential fresh = key(T0, Duration.ofHours(1));
    Credential azureKey =
        new Credential("key1", "k", Credential.Scheme.API_KEY_HEADER, T0, null, null, null);

    assertThat(ApiKeyRenewal.decide(null, false, null, T0, 0.5).why())
        .isEqualTo(ApiKeyRenewal.FIRST);
    assertThat(ApiKeyRenewal.decide(azureKey, false, null, T0, 0.5).why())
        .isEqualTo(ApiKeyRenewal.FIRST);
    assertThat(ApiKeyRenewal.decide(fresh, true, null, T0, 0.5).why())
        .isEqualTo(ApiKeyRenewal.ROTATION);
    assertThat(ApiKeyRenewal.decide(fresh, false, T0.plusSeconds(1), T0.plusSeconds(2), 0.5).why())
        .isEqualTo(ApiKeyRenewal.RESOURCE_REPLACED);
    assertThat(
            ApiKeyRenewal.decide(fresh, false, T0.minusSeconds(1), T0.plusSeconds(2), 0.5).mint())
        .isFalse();
  }
}
