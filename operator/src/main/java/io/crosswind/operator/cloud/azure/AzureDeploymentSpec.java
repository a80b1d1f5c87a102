package io.crosswind.operator.cloud.azure;

import com.azure.resourcemanager.cognitiveservices.fluent.models.DeploymentInner;
import com.azure.resourcemanager.cognitiveservices.models.DeploymentModel;
import com.azure.resourcemanager.cognitiveservices.models.DeploymentModelVersionUpgradeOption;
import com.azure.resourcemanager.cognitiveservices.models.DeploymentProperties;
import com.azure.resourcemanager.cognitiveservices.models.Sku;
import io.crosswind.api.v1alpha1.AzureDeployment;
import io.crosswind.api.v1alpha1.AzureTarget;
import io.crosswind.operator.cloud.Hashes;
import io.crosswind.operator.cloud.Owner;
import io.crosswind.operator.cloud.TargetRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The deployment a target asks for, decided from the spec alone, and how a deployment found in
 * Azure differs from it.
 *
 * @param name the deployment name: the spec's, or derived from namespace, endpoint and target
 *     ({@link #derivedName})
 * @param version null to take the region's default version and leave it to Azure's upgrades
 */
public record AzureDeploymentSpec(
    String name,
    String format,
    String model,
    String version,
    String sku,
    int capacity,
    String versionUpgradeOption) {

  static final int MAX_NAME = 64;
  private static final int HASH = 16;

  public static AzureDeploymentSpec of(TargetRequest request) {
    return of(
        request.owner(),
        request.target().getName(),
        request.target().getAzure(),
        request.recordedResourceId());
  }

  /**
   * @param recordedResourceId the deployment Crosswind recorded for the target, null when none: a
   *     deployment made under the name Crosswind 0.1 derived keeps it
   */
  static AzureDeploymentSpec of(
      Owner owner, String targetName, AzureTarget target, String recordedResourceId) {
    AzureDeployment d = target.getDeployment();
    return new AzureDeploymentSpec(
        d.getName() != null ? d.getName() : name(owner, targetName, recordedResourceId),
        d.getModel().getFormat() == null ? "OpenAI" : d.getModel().getFormat(),
        d.getModel().getName(),
        d.getModel().getVersion(),
        d.getSku().getName().name(),
        d.getSku().getCapacity(),
        d.getVersionUpgradeOption() == null ? null : d.getVersionUpgradeOption().name());
  }

  private static String name(Owner owner, String targetName, String recordedResourceId) {
    String legacy = legacyDerivedName(owner, targetName);
    if (recordedResourceId != null && recordedResourceId.endsWith("/deployments/" + legacy)) {
      // Moving a deployment would mean a second one with its own quota and a cold start; the one
      // Crosswind made (tagged with this endpoint as its owner) keeps its name for life.
      return legacy;
    }
    return derivedName(owner, targetName);
  }

  /**
   * {@code <namespace>_<endpoint>_<target>}: none of the three has an underscore, so no two
   * endpoints share a name ({@code team/prod-chat} and {@code team-prod/chat} do not). A name
   * longer than 47 characters is cut there and ends in 64 bits of the SHA-256 of the whole, 64
   * characters in all: longer than any uncut name, apart from every other cut one, and never
   * changing.
   */
  static String derivedName(Owner owner, String targetName) {
    String full = owner.namespace() + "_" + owner.name() + "_" + targetName;
    int keep = MAX_NAME - HASH - 1;
    if (full.length() <= keep) {
      return full;
    }
    return full.substring(0, keep) + "-" + Hashes.sha256(full).substring(0, HASH);
  }

  /**
   * The name Crosswind 0.1 derived, {@code <namespace>-<endpoint>-<target>} (cut to 64 with a
   * hash), which {@code team/prod-chat} and {@code team-prod/chat} shared.
   */
  static String legacyDerivedName(Owner owner, String targetName) {
    String full = owner.namespace() + "-" + owner.name() + "-" + targetName;
    if (full.length() <= MAX_NAME) {
      return full;
    }
    return full.substring(0, MAX_NAME - 9) + "-" + Hashes.sha256(full).substring(0, 8);
  }

  /** The PUT body for this deployment, tagged with its owner. */
  public DeploymentInner toInner(Owner owner) {
    DeploymentProperties properties =
        new DeploymentProperties()
            .withModel(
                new DeploymentModel().withFormat(format).withName(model).withVersion(version));
    if (versionUpgradeOption != null) {
      properties.withVersionUpgradeOption(
          DeploymentModelVersionUpgradeOption.fromString(versionUpgradeOption));
    }
    return new DeploymentInner()
        .withSku(new Sku().withName(sku).withCapacity(capacity))
        .withTags(Map.of(Owner.TAG, owner.tagValue()))
        .withProperties(properties);
  }

  /** What differs between this spec and a deployment in Azure, as "field: found -> wanted". */
  public List<String> drift(DeploymentInner found) {
    List<String> drift = new ArrayList<>();
    DeploymentModel m = found.properties() == null ? null : found.properties().model();
    compare(drift, "model", m == null ? null : m.name(), model);
    if (version != null) {
      compare(drift, "version", m == null ? null : m.version(), version);
    }
    compare(drift, "sku", found.sku() == null ? null : found.sku().name(), sku);
    compare(
        drift,
        "capacity",
        found.sku() == null || found.sku().capacity() == null
            ? null
            : found.sku().capacity().toString(),
        Integer.toString(capacity));
    if (versionUpgradeOption != null) {
      var option = found.properties() == null ? null : found.properties().versionUpgradeOption();
      compare(
          drift,
          "versionUpgradeOption",
          option == null ? null : option.toString(),
          versionUpgradeOption);
    }
    return drift;
  }

  private static void compare(List<String> drift, String field, String found, String wanted) {
    if (!wanted.equals(found)) {
      drift.add(field + ": " + found + " -> " + wanted);
    }
  }
}
