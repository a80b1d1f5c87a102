package io.crosswind.simulators.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.cognitiveservices.CognitiveServicesManager;
import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.TestCredentials;
import java.util.Map;

/** The real Azure SDK clients, pointed at the simulators by configuration only. */
final class AzureClients {

  private AzureClients() {}

  /** azure-core's JDK HTTP client, trusting the simulators' test CA. */
  static HttpClient http(Simulators sim) {
    return new JdkHttpClientBuilder(
            java.net.http.HttpClient.newBuilder().sslContext(sim.certificates().clientSslContext()))
        .build();
  }

  static TokenCredential clientSecret(Simulators sim, String secret) {
    TestCredentials c = sim.credentials();
    return new ClientSecretCredentialBuilder()
        .tenantId(c.tenantId())
        .clientId(c.clientId())
        .clientSecret(secret)
        .authorityHost(sim.entraAuthorityHost())
        .disableInstanceDiscovery()
        .httpClient(http(sim))
        .build();
  }

  static AzureProfile profile(Simulators sim) {
    AzureEnvironment environment =
        new AzureEnvironment(
            Map.of(
                "resourceManagerEndpointUrl", sim.armEndpoint(),
                "activeDirectoryEndpointUrl", sim.entraAuthorityHost(),
                "managementEndpointUrl", "https://management.core.windows.net/"));
    return new AzureProfile(
        sim.credentials().tenantId(), sim.credentials().subscriptionId(), environment);
  }

  static CognitiveServicesManager manager(Simulators sim) {
    return CognitiveServicesManager.configure()
        .withHttpClient(http(sim))
        .authenticate(clientSecret(sim, sim.credentials().clientSecret()), profile(sim));
  }
}
