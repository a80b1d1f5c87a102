package io.crosswind.operator.cloud;

import io.crosswind.api.v1alpha1.Target;
import java.util.Map;

/**
 * One target of one ModelEndpoint, as a provider needs it.
 *
 * @param owner the endpoint, for ownership tags and derived names
 * @param target the target's spec
 * @param credentials the data of the target's credentials Secret, empty for the operator's own
 *     identity; never logged, never put into a message
 */
public record TargetRequest(Owner owner, Target target, Map<String, String> credentials) {
  public TargetRequest {
    credentials = credentials == null ? Map.of() : Map.copyOf(credentials);
  }

  @Override
  public String toString() {
    return "TargetRequest[" + owner.tagValue() + "/" + target.getName() + "]";
  }
}
