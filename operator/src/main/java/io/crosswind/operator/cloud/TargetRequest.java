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
 * @param published the data-plane credential published for the target now, null when none; the
 *     provider keeps it, replaces it (expiry, rotation) or fetches the first one
 * @param rotationRequest the value of the endpoint's {@code crosswind.io/rotate-credentials}
 *     annotation, null when absent; a value that {@code published.rotatedFor()} does not match asks
 *     for a rotation
 * @param recordedResourceId the cloud resource Crosswind recorded for the target when it made it,
 *     null when none: a provider keeps the name a resource was made under
 * @param shared what other endpoints publish from resources whose credentials they share
 * @param identity the identity the CloudGrant that allows the target names, used when the target
 *     names no credentials Secret
 */
public record TargetRequest(
    Owner owner,
    Target target,
    Map<String, String> credentials,
    Credential published,
    String rotationRequest,
    String recordedResourceId,
    SharedCredentials shared,
    GrantedIdentity identity) {
  public TargetRequest {
    credentials = credentials == null ? Map.of() : Map.copyOf(credentials);
    shared = shared == null ? SharedCredentials.NONE : shared;
    identity = identity == null ? GrantedIdentity.NONE : identity;
  }

  public TargetRequest(Owner owner, Target target, Map<String, String> credentials) {
    this(owner, target, credentials, null, null, null, null, null);
  }

  public TargetRequest(
      Owner owner,
      Target target,
      Map<String, String> credentials,
      Credential published,
      String rotationRequest) {
    this(owner, target, credentials, published, rotationRequest, null, null, null);
  }

  /** The same request after a reconcile published {@code credential}. */
  public TargetRequest withPublished(Credential credential) {
    return new TargetRequest(
        owner,
        target,
        credentials,
        credential,
        rotationRequest,
        recordedResourceId,
        shared,
        identity);
  }

  public TargetRequest withRotationRequest(String request) {
    return new TargetRequest(
        owner, target, credentials, published, request, recordedResourceId, shared, identity);
  }

  public TargetRequest withRecordedResourceId(String resourceId) {
    return new TargetRequest(
        owner, target, credentials, published, rotationRequest, resourceId, shared, identity);
  }

  public TargetRequest withShared(SharedCredentials others) {
    return new TargetRequest(
        owner,
        target,
        credentials,
        published,
        rotationRequest,
        recordedResourceId,
        others,
        identity);
  }

  public TargetRequest withIdentity(GrantedIdentity granted) {
    return new TargetRequest(
        owner,
        target,
        credentials,
        published,
        rotationRequest,
        recordedResourceId,
        shared,
        granted);
  }

  /** True when a rotation was asked for and the published credential does not answer it yet. */
  public boolean rotationRequested() {
    return rotationRequest != null
        && !rotationRequest.isBlank()
        && published != null
        && !rotationRequest.equals(published.rotatedFor());
  }

  @Override
  public String toString() {
    return "TargetRequest[" + owner.tagValue() + "/" + target.getName() + "]";
  }
}
