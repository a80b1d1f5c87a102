package io.crosswind.build;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.RoutingPolicy;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.File;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Generates the CRDs of the crosswind.io API from the Java classes with the fabric8 CRD generator.
 *
 * <p>Runs at build time (process-test-classes); {@code CrdsAreCurrentTest} then compares the output
 * with the committed {@code crds/}. The only post-processing puts the printer columns in the order
 * the classes declare them: the generator sorts them by JSON path, which would make {@code AGE} the
 * first column of {@code kubectl get}.
 */
public final class GenerateCrds {

  static final List<Class<? extends HasMetadata>> CUSTOM_RESOURCES =
      List.of(ModelEndpoint.class, RoutingPolicy.class, io.crosswind.api.v1alpha1.CloudGrant.class);

  private GenerateCrds() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: GenerateCrds <output directory>");
    }
    File out = new File(args[0]);
    if (!out.isDirectory() && !out.mkdirs()) {
      throw new IllegalStateException("cannot create " + out);
    }
    new CRDGenerator()
        .inOutputDir(out)
        .forCRDVersions("v1")
        .withParallelGenerationEnabled(false)
        .withPostProcessor(new DeclaredColumnOrder())
        .customResourceClasses(CUSTOM_RESOURCES)
        .detailedGenerate();
  }

  /** Orders printer columns as the {@code @AdditionalPrinterColumn} annotations are declared. */
  static final class DeclaredColumnOrder implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      if (!(crd instanceof CustomResourceDefinition definition)) {
        return crd;
      }
      String kind = definition.getSpec().getNames().getKind();
      Class<?> type =
          CUSTOM_RESOURCES.stream()
              .filter(c -> c.getSimpleName().equals(kind))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no class for kind " + kind));
      List<String> declared =
          Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
              .map(AdditionalPrinterColumn::name)
              .toList();
      Map<String, Integer> rank =
          declared.stream()
              .collect(java.util.stream.Collectors.toMap(n -> n, declared::indexOf, (a, b) -> a));
      definition
          .getSpec()
          .getVersions()
          .forEach(
              v -> {
                List<CustomResourceColumnDefinition> columns = v.getAdditionalPrinterColumns();
                if (columns != null) {
                  columns.sort(
                      Comparator.comparingInt(
                          c -> rank.getOrDefault(c.getName(), Integer.MAX_VALUE)));
                }
              });
      return definition;
    }
  }
}
