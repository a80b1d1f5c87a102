package io.crosswind.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.ModelEndpointSpec;
import io.crosswind.api.v1alpha1.RoutingPolicy;
import io.crosswind.api.v1alpha1.RoutingPolicySpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Resources for tests, written as the YAML a user would write. */
public final class Fixtures {

  private static final YAMLMapper YAML = new YAMLMapper();

  private Fixtures() {}

  public static ModelEndpoint endpoint(String namespace, String name, String specYaml) {
    ModelEndpoint endpoint = new ModelEndpoint();
    endpoint.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    endpoint.setSpec(read(specYaml, ModelEndpointSpec.class));
    return endpoint;
  }

  public static RoutingPolicy policy(String namespace, String name, String specYaml) {
    RoutingPolicy policy = new RoutingPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    policy.setSpec(read(specYaml, RoutingPolicySpec.class));
    return policy;
  }

  /** A CloudGrant with this name and spec. */
  public static io.crosswind.api.v1alpha1.CloudGrant grant(String name, String specYaml) {
    io.crosswind.api.v1alpha1.CloudGrant grant = new io.crosswind.api.v1alpha1.CloudGrant();
    grant.setMetadata(new ObjectMetaBuilder().withName(name).build());
    grant.setSpec(read(specYaml, io.crosswind.api.v1alpha1.CloudGrantSpec.class));
    return grant;
  }

  public static RoutingPolicySpec policySpec(String yaml) {
    return read(yaml, RoutingPolicySpec.class);
  }

  public static ModelEndpointSpec endpointSpec(String yaml) {
    return read(yaml, ModelEndpointSpec.class);
  }

  private static <T> T read(String yaml, Class<T> type) {
    try {
      JsonNode tree = YAML.readTree(yaml);
      return Examples.STRICT.treeToValue(tree, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Two targets, Bedrock in us-east-1 and Azure in eastus2 (with the Secret azure-sp), and
   * optionally a policy.
   */
  public static final String TWO_TARGETS =
      """
      model: gpt-5.4
      targets:
        - name: bedrock-use1
          bedrock: {region: us-east-1, modelId: openai.gpt-5.4}
        - name: azure-eastus2
          credentialsSecretRef: {name: azure-sp}
          azure:
            resourceGroup: rg
            account: {name: acct, create: {location: eastus2}}
            deployment:
              model: {name: gpt-5.4}
              sku: {name: GlobalStandard, capacity: 10}
      """;
}
