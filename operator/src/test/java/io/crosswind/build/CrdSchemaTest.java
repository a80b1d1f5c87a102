package io.crosswind.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.testing.Paths;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code kubectl explain} and {@code kubectl get} show users of the generated CRDs. */
class CrdSchemaTest {

  static CustomResourceDefinition load(String file) throws IOException {
    try (InputStream in = Files.newInputStream(Paths.committedCrds().resolve(file))) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
  }

  @Test
  void everyFieldHasADescriptionForKubectlExplain() throws IOException {
    for (String file :
        List.of("modelendpoints.crosswind.io-v1.yml", "routingpolicies.crosswind.io-v1.yml")) {
      JSONSchemaProps root =
          load(file).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
      List<String> missing = new ArrayList<>();
      for (Map.Entry<String, JSONSchemaProps> top : root.getProperties().entrySet()) {
        if (List.of("spec", "status").contains(top.getKey())) {
          collectUndescribed(top.getKey(), top.getValue(), missing);
        }
      }
      assertThat(missing).as("fields without a description in " + file).isEmpty();
    }
  }

  private static void collectUndescribed(String path, JSONSchemaProps schema, List<String> out) {
    if (schema.getDescription() == null || schema.getDescription().isBlank()) {
      out.add(path);
    }
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((k, v) -> collectUndescribed(path + "." + k, v, out));
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      JSONSchemaProps items = schema.getItems().getSchema();
      if (items.getProperties() != null) {
        items.getProperties().forEach((k, v) -> collectUndescribed(path + "[]." + k, v, out));
      }
    }
  }

  @Test
  void modelEndpointColumnsReadLeftToRightAsTheApiPromises() throws IOException {
    var version = load("modelendpoints.crosswind.io-v1.yml").getSpec().getVersions().get(0);
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("MODEL", "ACTIVE", "READY", "REASON", "AGE", "URL", "TARGETS");
    assertThat(version.getAdditionalPrinterColumns())
        .filteredOn(c -> c.getPriority() != null && c.getPriority() > 0)
        .extracting(CustomResourceColumnDefinition::getName)
        .as("only shown with -o wide")
        .containsExactly("URL", "TARGETS");
  }

  @Test
  void namesShortNamesCategoryAndStatusSubresource() throws IOException {
    CustomResourceDefinition endpoints = load("modelendpoints.crosswind.io-v1.yml");
    CustomResourceDefinition policies = load("routingpolicies.crosswind.io-v1.yml");
    assertThat(endpoints.getSpec().getGroup()).isEqualTo("crosswind.io");
    assertThat(endpoints.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(endpoints.getSpec().getNames().getShortNames()).containsExactly("mep");
    assertThat(policies.getSpec().getNames().getShortNames()).containsExactly("rpol");
    assertThat(endpoints.getSpec().getNames().getCategories()).containsExactly("crosswind");
    assertThat(policies.getSpec().getNames().getCategories()).containsExactly("crosswind");
    assertThat(endpoints.getSpec().getVersions().get(0).getSubresources().getStatus()).isNotNull();
    assertThat(policies.getSpec().getVersions().get(0).getSubresources().getStatus()).isNotNull();
  }

  @Test
  void crossFieldRulesAreEnforcedByTheApiServer() throws IOException {
    String endpoints =
        Files.readString(Paths.committedCrds().resolve("modelendpoints.crosswind.io-v1.yml"));
    String policies =
        Files.readString(Paths.committedCrds().resolve("routingpolicies.crosswind.io-v1.yml"));
    assertThat(endpoints)
        .contains("a target needs exactly one of bedrock or azure")
        .contains("target names must be unique within the endpoint")
        .contains("modelUnits applies only to mode Provisioned")
        .contains("mode Provisioned needs modelUnits");
    assertThat(policies)
        .contains("weight applies only to strategy Weighted")
        .contains("pin must name a target or provider listed in targets")
        .contains("probe timeout must be shorter than the probe interval");
  }
}
