package io.crosswind.operator.cloud;

import java.util.List;

/**
 * What the other endpoints of this operator publish from a cloud resource whose credentials belong
 * to the resource, not to one endpoint: an Azure account's two keys. A provider reads it to rotate
 * such credentials per resource, moving every endpoint to the fresh key before the old one is
 * regenerated. Answered from what the operator already caches: it makes no call.
 */
@FunctionalInterface
public interface SharedCredentials {

  /** No other endpoint publishes anything. */
  SharedCredentials NONE = resourceId -> List.of();

  /**
   * The credentials other endpoints publish now from the resource with this id (an account's ARM
   * id), with when each was published and the key each is retiring.
   */
  List<Credential> publishedFrom(String resourceId);
}
