package io.crosswind.e2e;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.cognitiveservices.CognitiveServicesManager;
import com.azure.resourcemanager.cognitiveservices.models.AccountProperties;
import com.azure.resourcemanager.cognitiveservices.models.Sku;
import io.crosswind.simulators.Simulators;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;

/**
 * The cloud simulators as the e2e suite and the demo give them to the operator: by the operator's
 * own flags (endpoints, the test CA), and the operator's own Azure identity the way AKS workload
 * identity gives it, through the variables azure-identity reads (here as system properties, which
 * azure-core reads first).
 */
public final class SimulatedClouds {

  /** The resource groups the examples name. */
  public static final Set<String> RESOURCE_GROUPS =
      Set.of("rg-ai-prod", "rg-payments-ai", "rg-assistant");

  private SimulatedClouds() {}

  public static Simulators start(Set<String> resourceGroups) {
    return start(resourceGroups, io.crosswind.simulators.core.ManagementLimits.off());
  }

  /** The simulators enforcing the clouds' management limits, published or scaled. */
  public static Simulators start(
      Set<String> resourceGroups, io.crosswind.simulators.core.ManagementLimits limits) {
    return Simulators.start(
        Simulators.Options.defaults().withResourceGroups(resourceGroups).withLimits(limits));
  }

  /**
   * The Azure AI account that examples/weighted.yaml uses as an existing one (no account.create),
   * made the way a platform team would make it: with the Azure SDK, and no Crosswind tag.
   */
  public static void createExistingAccounts(Simulators sim) {
    azure(sim)
        .accounts()
        .define("assistant-eastus2")
        .withExistingResourceGroup("rg-assistant")
        .withRegion("eastus2")
        .withKind("AIServices")
        .withSku(new Sku().withName("S0"))
        .withProperties(new AccountProperties().withCustomSubDomainName("assistant-eastus2"))
        .create();
  }

  /** The real Azure management client, signed in as the simulators' service principal. */
  public static CognitiveServicesManager azure(Simulators sim) {
    HttpClient http =
        new JdkHttpClientBuilder(
                java.net.http.HttpClient.newBuilder()
                    .sslContext(sim.certificates().clientSslContext()))
            .build();
    return CognitiveServicesManager.configure()
        .withHttpClient(http)
        .authenticate(
            new ClientSecretCredentialBuilder()
                .tenantId(sim.credentials().tenantId())
                .clientId(sim.credentials().clientId())
                .clientSecret(sim.credentials().clientSecret())
                .authorityHost(sim.entraAuthorityHost())
                .disableInstanceDiscovery()
                .httpClient(http)
                .build(),
            new AzureProfile(
                sim.credentials().tenantId(),
                sim.credentials().subscriptionId(),
                new AzureEnvironment(
                    Map.of(
                        "resourceManagerEndpointUrl",
                        sim.armEndpoint(),
                        "managementEndpointUrl",
                        "https://management.core.windows.net/"))));
  }

  /**
   * The real Bedrock control-plane client of a region, signed as the simulators' AWS test user (no
   * session policy), to look at what the operator made the way the AWS console would.
   */
  public static BedrockClient bedrock(Simulators sim, String region) {
    return BedrockClient.builder()
        .endpointOverride(URI.create(sim.bedrockEndpoint(region)))
        .region(Region.of(region))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    sim.credentials().awsAccessKeyId(), sim.credentials().awsSecretAccessKey())))
        .httpClient(
            Apache5HttpClient.builder()
                .tlsTrustManagersProvider(
                    () -> new TrustManager[] {sim.certificates().trustManager()})
                .build())
        .build();
  }

  /** The IAM role the operator assumes for Bedrock targets, as a Helm install configures it. */
  public static String bedrockRole(Simulators sim) {
    return "arn:aws:iam::" + sim.credentials().awsAccountId() + ":role/crosswind-bedrock";
  }

  /**
   * The operator's identity for targets without credentialsSecretRef: Azure's through the variables
   * azure-identity reads, AWS's through the system properties the SDK's default chain reads first.
   */
  public static void operatorIdentity(Simulators sim) {
    System.setProperty("aws.accessKeyId", sim.credentials().awsAccessKeyId());
    System.setProperty("aws.secretAccessKey", sim.credentials().awsSecretAccessKey());
    System.setProperty("AZURE_TENANT_ID", sim.credentials().tenantId());
    System.setProperty("AZURE_CLIENT_ID", sim.credentials().clientId());
    System.setProperty("AZURE_CLIENT_SECRET", sim.credentials().clientSecret());
  }

  /** Flags that point every cloud client of the operator at the simulators. */
  public static List<String> operatorFlags(Simulators sim, Path caFile) {
    List<String> flags = new ArrayList<>();
    flags.add("--azure-subscription-id=" + sim.credentials().subscriptionId());
    flags.add("--azure-authority-host=" + sim.entraAuthorityHost());
    flags.add("--azure-resource-manager-endpoint=" + sim.armEndpoint());
    flags.add("--aws-role-arn=" + bedrockRole(sim));
    flags.add("--aws-bedrock-endpoint=" + sim.bedrockEndpoint("{region}"));
    flags.add("--aws-bedrock-runtime-endpoint=" + sim.bedrockRuntimeEndpoint("{region}"));
    flags.add("--aws-bedrock-mantle-endpoint=" + sim.bedrockMantleEndpoint("{region}"));
    flags.add("--aws-sts-endpoint=" + sim.stsEndpoint());
    flags.add("--cloud-ca-file=" + caFile);
    return flags;
  }
}
