package io.crosswind.operator.cloud.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientAssertionCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.resourcemanager.cognitiveservices.CognitiveServicesManager;
import io.crosswind.operator.cloud.CloudError;
import io.crosswind.operator.cloud.GrantedIdentity;
import io.crosswind.operator.cloud.Hashes;
import io.crosswind.operator.cloud.ManagementPacer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One CognitiveServicesManager per subscription and identity: a target's credentials Secret with a
 * client secret or a federated token; else the workload identity of the CloudGrant that allows the
 * target, signed in as with the operator's own projected ServiceAccount token; else the operator's
 * own identity (azure-identity's default chain, which covers AKS workload identity).
 */
final class AzureConnections {

  static final String TENANT_ID = "AZURE_TENANT_ID";
  static final String CLIENT_ID = "AZURE_CLIENT_ID";
  static final String CLIENT_SECRET = "AZURE_CLIENT_SECRET";
  static final String FEDERATED_TOKEN = "AZURE_FEDERATED_TOKEN";

  /** A manager, or why there is none. */
  record Connection(CognitiveServicesManager manager, String subscriptionId, CloudError error) {}

  private final AzureSettings settings;
  private final ManagementPacer pacer;
  private final Map<String, CognitiveServicesManager> managers = new ConcurrentHashMap<>();

  AzureConnections(AzureSettings settings, ManagementPacer pacer) {
    this.settings = settings;
    this.pacer = pacer;
  }

  Connection connect(
      String targetSubscription, Map<String, String> secret, GrantedIdentity identity) {
    String subscription =
        targetSubscription != null ? targetSubscription : settings.defaultSubscriptionId();
    if (subscription == null) {
      return new Connection(
          null,
          null,
          new CloudError(
              "SubscriptionMissing",
              "The target names no subscriptionId and the operator has no default subscription"
                  + " (--azure-subscription-id); set one of them.",
              null));
    }
    if (!secret.isEmpty()) {
      List<String> missing =
          List.of(TENANT_ID, CLIENT_ID).stream().filter(k -> isBlank(secret.get(k))).toList();
      if (!missing.isEmpty()
          || (isBlank(secret.get(CLIENT_SECRET)) && isBlank(secret.get(FEDERATED_TOKEN)))) {
        return new Connection(
            null,
            subscription,
            new CloudError(
                "CredentialsInvalid",
                "The credentials Secret needs "
                    + TENANT_ID
                    + ", "
                    + CLIENT_ID
                    + " and either "
                    + CLIENT_SECRET
                    + " or "
                    + FEDERATED_TOKEN
                    + (missing.isEmpty() ? "" : "; missing: " + String.join(", ", missing))
                    + ".",
                null));
      }
    }
    if (secret.isEmpty() && identity.azureClientId() != null) {
      return federated(subscription, identity);
    }
    String key = subscription + "|" + Hashes.fingerprint(secret);
    CognitiveServicesManager manager =
        managers.computeIfAbsent(
            key, k -> build(subscription, secret.get(TENANT_ID), credential(secret), k));
    return new Connection(manager, subscription, null);
  }

  /** Signs in as the grant's workload identity with the operator's projected token. */
  private Connection federated(String subscription, GrantedIdentity identity) {
    String tenant =
        identity.azureTenantId() != null ? identity.azureTenantId() : settings.tenantId();
    Path tokenFile = settings.federatedTokenFile();
    if (tenant == null || tokenFile == null) {
      return new Connection(
          null,
          subscription,
          new CloudError(
              "WorkloadIdentityUnavailable",
              "CloudGrant "
                  + identity.grant()
                  + " names workload identity "
                  + identity.azureClientId()
                  + ", but the operator has "
                  + (tokenFile == null
                      ? "no projected ServiceAccount token to present"
                          + " (--azure-federated-token-file, AZURE_FEDERATED_TOKEN_FILE)"
                      : "no tenant for it: set workloadIdentity.tenantId or --azure-tenant-id")
                  + "; docs/security.md shows the setup.",
              AzureErrors.CONFIGURATION));
    }
    String key = subscription + "|grant|" + tenant + "|" + identity.azureClientId();
    CognitiveServicesManager manager =
        managers.computeIfAbsent(
            key,
            k -> {
              ClientAssertionCredentialBuilder builder =
                  new ClientAssertionCredentialBuilder()
                      .tenantId(tenant)
                      .clientId(identity.azureClientId())
                      .clientAssertion(() -> readToken(tokenFile));
              return build(subscription, tenant, configured(builder), k);
            });
    return new Connection(manager, subscription, null);
  }

  /** The kubelet rotates the projected token: it is read again for every sign-in. */
  private static String readToken(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the projected ServiceAccount token " + file.getFileName(), e);
    }
  }

  /**
   * @param principal the subscription and the identity, with no secret in it: the scope ARM
   *     throttles by and the pacer paces by
   */
  private CognitiveServicesManager build(
      String subscription, String tenant, TokenCredential credential, String principal) {
    AzureEnvironment environment =
        settings.resourceManagerEndpoint() == null
            ? AzureEnvironment.AZURE
            : new AzureEnvironment(
                Map.of(
                    "resourceManagerEndpointUrl",
                    settings.resourceManagerEndpoint(),
                    "managementEndpointUrl",
                    "https://management.core.windows.net/",
                    "activeDirectoryEndpointUrl",
                    settings.authorityHost() == null
                        ? AzureEnvironment.AZURE.getActiveDirectoryEndpoint()
                        : settings.authorityHost()));
    AzureProfile profile = new AzureProfile(tenant, subscription, environment);
    var configurable =
        CognitiveServicesManager.configure()
            .withRetryPolicy(new RetryPolicy(new ManagementRetry()))
            .withPolicy(new ArmPacing(pacer, principal));
    if (settings.httpClient() != null) {
      configurable.withHttpClient(settings.httpClient());
    }
    return configurable.authenticate(credential, profile);
  }

  private TokenCredential credential(Map<String, String> secret) {
    if (secret.isEmpty()) {
      DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
      if (settings.authorityHost() != null) {
        builder.authorityHost(settings.authorityHost()).disableInstanceDiscovery();
      }
      if (settings.httpClient() != null) {
        builder.httpClient(settings.httpClient());
      }
      return builder.build();
    }
    if (!isBlank(secret.get(CLIENT_SECRET))) {
      ClientSecretCredentialBuilder builder =
          new ClientSecretCredentialBuilder()
              .tenantId(secret.get(TENANT_ID))
              .clientId(secret.get(CLIENT_ID))
              .clientSecret(secret.get(CLIENT_SECRET));
      if (settings.authorityHost() != null) {
        builder.authorityHost(settings.authorityHost()).disableInstanceDiscovery();
      }
      if (settings.httpClient() != null) {
        builder.httpClient(settings.httpClient());
      }
      return builder.build();
    }
    String token = secret.get(FEDERATED_TOKEN);
    return configured(
        new ClientAssertionCredentialBuilder()
            .tenantId(secret.get(TENANT_ID))
            .clientId(secret.get(CLIENT_ID))
            .clientAssertion(() -> token));
  }

  private TokenCredential configured(ClientAssertionCredentialBuilder builder) {
    if (settings.authorityHost() != null) {
      builder.authorityHost(settings.authorityHost()).disableInstanceDiscovery();
    }
    if (settings.httpClient() != null) {
      builder.httpClient(settings.httpClient());
    }
    return builder.build();
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
