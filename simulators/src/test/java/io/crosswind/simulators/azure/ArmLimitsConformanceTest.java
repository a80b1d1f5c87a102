package io.crosswind.simulators.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.cognitiveservices.CognitiveServicesManager;
import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.core.ManagementLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ARM's token buckets as the real management SDK meets them: what is left in {@code
 * x-ms-ratelimit-remaining-subscription-*} on each answer, 429 SubscriptionRequestsThrottled with
 * Retry-After once the bucket is empty, and reads and writes in buckets of their own.
 */
class ArmLimitsConformanceTest {

  static final String RG = "rg-limits";
  static Simulators sim;

  @BeforeAll
  static void start() {
    // A twenty-fifth of the published figures: 10 reads refilled at 1 a second, 8 writes.
    sim =
        Simulators.start(
            Simulators.Options.defaults()
                .withResourceGroups(Set.of(RG))
                .withLimits(ManagementLimits.scaled(0.04)));
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  static CognitiveServicesManager withoutRetries() {
    return CognitiveServicesManager.configure()
        .withHttpClient(AzureClients.http(sim))
        .withRetryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))))
        .authenticate(
            AzureClients.clientSecret(sim, sim.credentials().clientSecret()),
            AzureClients.profile(sim));
  }

  @Test
  void readsBeyondTheBucketAre429WithRetryAfterAndWritesStillPass() {
    CognitiveServicesManager arm = withoutRetries();
    List<String> remaining = new ArrayList<>();
    ManagementException throttled = null;
    for (int i = 0; i < 30 && throttled == null; i++) {
      try {
        arm.serviceClient().getAccounts().getByResourceGroup(RG, "absent");
      } catch (ManagementException e) {
        if (e.getResponse().getStatusCode() == 429) {
          throttled = e;
        } else {
          remaining.add(
              e.getResponse().getHeaderValue("x-ms-ratelimit-remaining-subscription-reads"));
        }
      }
    }

    assertThat(throttled).as("30 reads in a burst go over a bucket of 10").isNotNull();
    assertThat(remaining).hasSizeBetween(10, 12);
    assertThat(remaining.get(0)).isEqualTo("9");
    assertThat(throttled.getValue().getCode()).isEqualTo("SubscriptionRequestsThrottled");
    assertThat(throttled.getValue().getMessage())
        .contains("'read' requests for subscription '" + sim.credentials().subscriptionId())
        .contains("actor '" + sim.credentials().clientId() + "'");
    assertThat(Long.parseLong(throttled.getResponse().getHeaderValue("Retry-After")))
        .isBetween(1L, 2L);
    assertThat(sim.limits().refusals()).containsKey("arm/GET reads");

    // listKeys is a POST: a write, counted in a bucket of its own.
    assertThatThrownBy(() -> arm.serviceClient().getAccounts().listKeys(RG, "absent"))
        .isInstanceOfSatisfying(
            ManagementException.class,
            e -> {
              assertThat(e.getResponse().getStatusCode()).isEqualTo(404);
              assertThat(
                      e.getResponse()
                          .getHeaderValue("x-ms-ratelimit-remaining-subscription-writes"))
                  .isEqualTo("7");
            });
  }
}
