package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.Provider;
import io.crosswind.api.v1alpha1.RoutingPolicySpec;
import io.crosswind.api.v1alpha1.Target;
import java.util.List;
import java.util.Optional;

/** What the spec alone tells about a target: its provider and, where the spec says, its region. */
public final class TargetFacts {

  private TargetFacts() {}

  public static Optional<Provider> provider(Target target) {
    if (target.getBedrock() != null) {
      return Optional.of(Provider.Bedrock);
    }
    if (target.getAzure() != null) {
      return Optional.of(Provider.AzureOpenAI);
    }
    return Optional.empty();
  }

  /**
   * The region, when the spec fixes it: a Bedrock target's region, or the location of an Azure
   * account that Crosswind creates. An existing Azure account's location is known only from Azure.
   */
  public static Optional<String> region(Target target) {
    if (target.getBedrock() != null) {
      return Optional.ofNullable(target.getBedrock().getRegion());
    }
    if (target.getAzure() != null
        && target.getAzure().getAccount() != null
        && target.getAzure().getAccount().getCreate() != null) {
      return Optional.ofNullable(target.getAzure().getAccount().getCreate().getLocation());
    }
    return Optional.empty();
  }

  public static List<String> allowedRegions(RoutingPolicySpec spec) {
    if (spec.getConstraints() == null || spec.getConstraints().getRegions() == null) {
      return List.of();
    }
    return spec.getConstraints().getRegions();
  }
}
