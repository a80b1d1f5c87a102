package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.operator.cloud.Credential;
import io.crosswind.operator.cloud.azure.AzureResourceIds;
import io.crosswind.operator.conditions.Reasons;
import io.crosswind.operator.publish.PublishedTable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Azure account keys belong to the account, not to one endpoint: when a target's rotation
 * regenerates one, every other endpoint with a deployment in that account must publish the key's
 * new value at once, instead of at its next probe failure or resync. The endpoints are indexed by
 * the accounts their status names; a reconcile names the accounts whose keys it changed.
 */
final class SharedAccounts {

  /** The index of the endpoints by the Azure accounts their targets' deployments are in. */
  static final String INDEX = "crosswind.io/azureAccount";

  private static final Set<String> KEY_CHANGES =
      Set.of(
          Reasons.CREDENTIALS_ROTATING, Reasons.CREDENTIALS_ROTATED, Reasons.CREDENTIALS_SWITCHED);

  private SharedAccounts() {}

  /** The accounts whose deployments the endpoint's status names, as the index keys them. */
  static List<String> of(ModelEndpoint endpoint) {
    if (endpoint.getStatus() == null || endpoint.getStatus().getTargets() == null) {
      return List.of();
    }
    return endpoint.getStatus().getTargets().stream()
        .map(t -> AzureResourceIds.accountOfDeployment(t.getResourceId()))
        .flatMap(Optional::stream)
        .distinct()
        .toList();
  }

  /** The credentials a published route table holds from deployments in this account. */
  static List<Credential> credentialsFrom(PublishedTable table, String account) {
    return table.routes().stream()
        .filter(r -> r.credential() != null && r.resourceId() != null)
        .filter(
            r -> AzureResourceIds.accountOfDeployment(r.resourceId()).orElse("").equals(account))
        .map(r -> r.credential().toCredential())
        .toList();
  }

  /** The accounts whose keys this reconcile's rotations changed. */
  static Set<String> rotated(List<TargetOutcome> outcomes) {
    Set<String> accounts = new LinkedHashSet<>();
    for (TargetOutcome o : outcomes) {
      boolean changed =
          o.observation().events().stream().anyMatch(e -> KEY_CHANGES.contains(e.reason()));
      if (changed) {
        AzureResourceIds.accountOfDeployment(o.observation().resourceId()).ifPresent(accounts::add);
      }
    }
    return accounts;
  }
}
