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
}
