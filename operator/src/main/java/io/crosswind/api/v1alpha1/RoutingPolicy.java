package io.crosswind.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** How the targets of a ModelEndpoint are chosen: order, weights, failover, probes, pin. */
@Group(ModelEndpoint.GROUP)
@Version(ModelEndpoint.VERSION)
@ShortNames("rpol")
@Categories("crosswind")
@AdditionalPrinterColumn(name = "STRATEGY", jsonPath = ".spec.strategy", type = Type.STRING)
@AdditionalPrinterColumn(name = "PIN", jsonPath = ".spec.pin", type = Type.STRING)
@AdditionalPrinterColumn(name = "ENDPOINTS", jsonPath = ".status.endpoints", type = Type.INTEGER)
@AdditionalPrinterColumn(
    name = "ACCEPTED",
    jsonPath = ".status.conditions[?(@.type==\"Accepted\")].status",
    type = Type.STRING)
@AdditionalPrinterColumn(
    name = "REASON",
    jsonPath = ".status.conditions[?(@.type==\"Accepted\")].reason",
    type = Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class RoutingPolicy extends CustomResource<RoutingPolicySpec, RoutingPolicyStatus>
    implements Namespaced {
  @Override
  @JsonPropertyDescription(
      "How targets are chosen: strategy, order and weights, failover triggers and probes, constraints and a manual pin.")
  public RoutingPolicySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Whether the policy is valid and how many endpoints use it.")
  public RoutingPolicyStatus getStatus() {
    return super.getStatus();
  }
}
