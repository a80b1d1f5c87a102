package io.crosswind.operator.cloud.azure;

import com.azure.core.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * How the operator reaches Azure.
 *
 * @param defaultSubscriptionId the subscription of targets that do not name one (may be null)
 * @param authorityHost Entra ID's authority host; null for the public cloud
 * @param resourceManagerEndpoint ARM's endpoint; null for the public cloud
 * @param httpClient the HTTP client for ARM, Entra ID and the data plane; null for azure-core's
 *     default
 * @param dataPlane the JDK HTTP client for data-plane probes
 * @param credentialGrace how long a new key is published before the old one is regenerated
 * @param clock the time source
 * @param tenantId the operator's Entra ID tenant, for CloudGrant workload identities that name none
 *     ({@code --azure-tenant-id}); null when none
 * @param federatedTokenFile the operator's projected ServiceAccount token, which it presents as the
 *     CloudGrant workload identities ({@code --azure-federated-token-file}); null when none
 */
public record AzureSettings(
    String defaultSubscriptionId,
    String authorityHost,
    String resourceManagerEndpoint,
    HttpClient httpClient,
    java.net.http.HttpClient dataPlane,
    Duration credentialGrace,
    Clock clock,
    String tenantId,
    java.nio.file.Path federatedTokenFile) {

  public AzureSettings(
      String defaultSubscriptionId,
      String authorityHost,
      String resourceManagerEndpoint,
      HttpClient httpClient) {
    this(
        defaultSubscriptionId,
        authorityHost,
        resourceManagerEndpoint,
        httpClient,
        java.net.http.HttpClient.newHttpClient(),
        Duration.ofSeconds(30),
        Clock.systemUTC(),
        null,
        null);
  }
}
