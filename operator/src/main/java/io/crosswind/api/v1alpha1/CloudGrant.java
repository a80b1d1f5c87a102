package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * What the ModelEndpoints of some namespaces may do in the clouds, stated by a platform admin:
 * cluster-scoped, so that no team can grant itself. Outside every grant that covers its namespace,
 * an endpoint's target is neither created, read nor published.
 */
@Group(ModelEndpoint.GROUP)
@Version(ModelEndpoint.VERSION)
@ShortNames("cgrant")
@Categories("crosswind")
@AdditionalPrinterColumn(name = "NAMESPACES", jsonPath = ".spec.namespaces", type = Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class CloudGrant extends CustomResource<CloudGrantSpec, Void> {
  @Override
  @JsonPropertyDescription(
      "The namespaces this grant covers and what their ModelEndpoints may use: Azure resource groups and accounts, Bedrock regions, roles and provisioned throughput, and models.")
  public CloudGrantSpec getSpec() {
    return super.getSpec();
  }
}
