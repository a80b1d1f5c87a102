package io.crosswind.simulators.azure;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The models Azure OpenAI offers in the simulated regions, and the quota per region and deployment
 * type. Small on purpose: enough models to test a default version, an unknown model, an unknown
 * version and a deployment type a model does not support.
 */
public final class AzureCatalog {

  /** A model version, the deployment types it can use, and whether it is the region's default. */
  public record ModelVersion(
      String format,
      String name,
      String version,
      boolean isDefault,
      Set<String> skus,
      String lifecycleStatus) {}

  static final Set<String> ALL_SKUS =
      Set.of(
          "Standard",
          "GlobalStandard",
          "DataZoneStandard",
          "ProvisionedManaged",
          "GlobalProvisionedManaged");

  private final List<ModelVersion> models;
  private final Map<String, Integer> quotaBySku;
  private final Set<String> locations;

  public AzureCatalog(
      List<ModelVersion> models, Map<String, Integer> quotaBySku, Set<String> locations) {
    this.models = List.copyOf(models);
    this.quotaBySku = Map.copyOf(quotaBySku);
    this.locations = Set.copyOf(locations);
  }

  /** The catalog the simulators start with. */
  public static AzureCatalog standard() {
    return new AzureCatalog(
        List.of(
            new ModelVersion(
                "OpenAI", "gpt-5.4", "2026-04-01", true, ALL_SKUS, "GenerallyAvailable"),
            new ModelVersion(
                "OpenAI", "gpt-4o", "2024-11-20", true, ALL_SKUS, "GenerallyAvailable"),
            new ModelVersion("OpenAI", "gpt-4o", "2024-08-06", false, ALL_SKUS, "Deprecating"),
            new ModelVersion(
                "OpenAI",
                "gpt-4.1-mini",
                "2025-04-14",
                true,
                Set.of("Standard", "GlobalStandard"),
                "GenerallyAvailable")),
        Map.of(
            "Standard", 300,
            "GlobalStandard", 1000,
            "DataZoneStandard", 500,
            "ProvisionedManaged", 100,
            "GlobalProvisionedManaged", 100),
        Set.of(
            "eastus", "eastus2", "westus3", "swedencentral", "westeurope", "germanywestcentral"));
  }

  public List<ModelVersion> models() {
    return models;
  }

  public boolean offersLocation(String location) {
    return locations.contains(location);
  }

  public Optional<ModelVersion> find(String format, String name, String version) {
    return models.stream()
        .filter(m -> m.format().equals(format) && m.name().equals(name))
        .filter(m -> version == null ? m.isDefault() : m.version().equals(version))
        .findFirst();
  }

  public boolean knowsModel(String format, String name) {
    return models.stream().anyMatch(m -> m.format().equals(format) && m.name().equals(name));
  }

  /** The quota, in the deployment type's capacity unit, for one model in one region. */
  public int quota(String sku) {
    return quotaBySku.getOrDefault(sku, 0);
  }

  /** The usage name Azure reports quota under, for example OpenAI.GlobalStandard.gpt-4o. */
  public static String usageName(String sku, String model) {
    return "OpenAI." + sku + "." + model;
  }
}
