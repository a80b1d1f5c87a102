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

/** One logical model for applications, backed by one or more cloud targets. */
@Group(ModelEndpoint.GROUP)
@Version(ModelEndpoint.VERSION)
@ShortNames("mep")
@Categories("crosswind")
@AdditionalPrinterColumn(name = "MODEL", jsonPath = ".spec.model", type = Type.STRING)
@AdditionalPrinterColumn(name = "ACTIVE", jsonPath = ".status.activeTarget", type = Type.STRING)
@AdditionalPrinterColumn(
    name = "READY",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = Type.STRING)
@AdditionalPrinterColumn(
    name = "REASON",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@AdditionalPrinterColumn(
    name = "URL",
    jsonPath = ".status.endpoint.url",
    type = Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "TARGETS",
    jsonPath = ".status.targetsReady",
    type = Type.STRING,
    priority = 1)
public class ModelEndpoint extends CustomResource<ModelEndpointSpec, ModelEndpointStatus>
    implements Namespaced {
  public static final String GROUP = "crosswind.io";
  public static final String VERSION = "v1alpha1";

  /**
   * Set or change this annotation (any value, such as a date) to rotate the cloud credentials of
   * every target without downtime; {@code status.targets[].credentials.rotatedFor} shows the value
   * the latest rotation answered.
   */
  public static final String ROTATE_CREDENTIALS = "crosswind.io/rotate-credentials";

  @Override
  @JsonPropertyDescription(
      "What the endpoint should serve: the logical model, its cloud targets, the routing policy and how applications reach it.")
  public ModelEndpointSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator observes: the active target, the published endpoint, each target and the conditions.")
  public ModelEndpointStatus getStatus() {
    return super.getStatus();
  }
}
