package io.crosswind.operator.cloud.azure;

import com.azure.core.http.HttpClient;

/**
 * How the operator reaches Azure.
 *
 * @param defaultSubscriptionId the subscription of targets that do not name one (may be null)
 * @param authorityHost Entra ID's authority host; null for the public cloud
 * @param resourceManagerEndpoint ARM's endpoint; null for the public cloud
 * @param httpClient the HTTP client for ARM and Entra ID; null for azure-core's default
 */
public record AzureSettings(
    String defaultSubscriptionId,
    String authorityHost,
    String resourceManagerEndpoint,
    HttpClient httpClient) {}
