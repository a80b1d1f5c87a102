package io.crosswind.operator.cloud.azure;

import java.util.Locale;
import java.util.Optional;

/** Reading Azure resource ids, as ARM compares them (case-insensitively). */
public final class AzureResourceIds {

  private static final String ACCOUNTS = "/providers/microsoft.cognitiveservices/accounts/";
  private static final String DEPLOYMENTS = "/deployments/";

  private AzureResourceIds() {}

  /**
   * The Cognitive Services account of a deployment's resource id (the id up to {@code
   * /deployments/}), lower-cased; empty for any other id, or none.
   */
  public static Optional<String> accountOfDeployment(String resourceId) {
    if (resourceId == null) {
      return Optional.empty();
    }
    String id = resourceId.toLowerCase(Locale.ROOT);
    int deployments = id.indexOf(DEPLOYMENTS);
    return id.contains(ACCOUNTS) && deployments > 0
        ? Optional.of(id.substring(0, deployments))
        : Optional.empty();
  }
}
