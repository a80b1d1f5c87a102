package io.crosswind.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/** Files of the repository, read as kubectl would send them, and installing them. */
public final class Resources {

  private Resources() {}

  public static Path root() {
    return RealCluster.repositoryRoot();
  }

  public static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of a YAML file, as untyped resources. */
  public static List<GenericKubernetesResource> documents(Path file) {
    try (var parser = new YAMLFactory().createParser(file.toFile())) {
      List<GenericKubernetesResource> docs = new ArrayList<>();
      new YAMLMapper()
          .readValues(parser, JsonNode.class)
          .forEachRemaining(
              node ->
                  docs.add(
                      Serialization.jsonMapper()
                          .convertValue(node, GenericKubernetesResource.class)));
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Installs crds/ and waits until the API server serves both kinds. */
  public static void installCrds(KubernetesClient client) {
    for (Path file : yamlFiles(root().resolve("crds"))) {
      try (InputStream in = Files.newInputStream(file)) {
        CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
        client.resource(crd).forceConflicts().serverSideApply();
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  CustomResourceDefinition live =
                      client
                          .apiextensions()
                          .v1()
                          .customResourceDefinitions()
                          .withName(crd.getMetadata().getName())
                          .get();
                  return live.getStatus() != null
                      && live.getStatus().getConditions().stream()
                          .anyMatch(
                              c ->
                                  "Established".equals(c.getType())
                                      && "True".equals(c.getStatus()));
                });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public static Namespace namespace(KubernetesClient client, String name) {
    return client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
  }

  /**
   * The examples' grant (examples/grant.yaml) for another namespace, as an admin would apply it to
   * run the examples there: named after the namespace, covering only it.
   */
  public static GenericKubernetesResource exampleGrantFor(String namespace) {
    GenericKubernetesResource grant = documents(root().resolve("examples/grant.yaml")).get(0);
    grant.getMetadata().setName("examples-" + namespace);
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> spec =
        (java.util.Map<String, Object>) grant.getAdditionalProperties().get("spec");
    spec.put("namespaces", List.of(namespace));
    return grant;
  }

  /**
   * Grants {@code namespace} what the e2e tests' endpoints use: the examples' grant, accounts
   * created in {@code resourceGroups}, Bedrock in us-east-1 and us-west-2 with the operator's
   * identity or {@code bedrockRole}, and provisioned throughput of up to 10 model units on any
   * term.
   */
  public static void grantForTests(
      KubernetesClient client,
      String namespace,
      java.util.Set<String> resourceGroups,
      String bedrockRole) {
    client.resource(exampleGrantFor(namespace)).forceConflicts().serverSideApply();
    String yaml =
        """
        apiVersion: crosswind.io/v1alpha1
        kind: CloudGrant
        metadata: {name: tests-%s}
        spec:
          namespaces: [%s]
          azure:
            - resourceGroups: [%s]
              createAccounts: true
          bedrock:
            regions: [us-east-1, us-west-2]
            useOperatorIdentity: true
            roleArns: ["%s"]
            provisionedThroughput:
              maxModelUnits: 10
              commitments: [None, OneMonth, SixMonths]
        """
            .formatted(
                namespace,
                namespace,
                resourceGroups.isEmpty() ? "rg-none" : String.join(", ", resourceGroups),
                bedrockRole);
    client
        .resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class))
        .forceConflicts()
        .serverSideApply();
  }
}
