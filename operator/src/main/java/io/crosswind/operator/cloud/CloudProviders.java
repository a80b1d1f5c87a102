package io.crosswind.operator.cloud;

import io.crosswind.api.v1alpha1.Provider;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The providers this operator runs with, one per cloud. */
public final class CloudProviders {

  private final Map<Provider, TargetProvider> providers = new EnumMap<>(Provider.class);

  public CloudProviders(List<TargetProvider> providers) {
    providers.forEach(p -> this.providers.put(p.provider(), p));
  }

  public Optional<TargetProvider> get(Provider provider) {
    return Optional.ofNullable(providers.get(provider));
  }
}
