package io.crosswind.operator.publish;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.crosswind.api.v1alpha1.Target;
import java.util.Map;

/**
 * The operator's own bookkeeping for one endpoint, kept as {@code ledger.json} beside the route
 * table in its Secret. The gateway never reads it; the operator reads it back on the next reconcile
 * (to clean up what it made, to know a credential's age and the rotation it answered).
 *
 * @param format the version of this record
 * @param activeSince when the active target began to serve (RFC 3339); the stabilization window
 *     counts from it
 * @param targets per target name, what the operator made and published for it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RouteLedger(int format, String activeSince, Map<String, Entry> targets) {

  public static final int FORMAT = 1;

  public RouteLedger {
    targets = targets == null ? Map.of() : java.util.Collections.unmodifiableMap(targets);
  }

  /**
   * One target's bookkeeping.
   *
   * @param resourceId the cloud resource Crosswind made or uses for it, null while it made none
   * @param spec the target's spec when its resources were made, so that a target removed from the
   *     endpoint can still be cleaned up
   * @param credentialName which credential is published (key1, key2, bedrock-api-key)
   * @param publishedAt when it was published (RFC 3339)
   * @param rotatedFor the rotation request it answers
   * @param pendingRevoke a credential to revoke once the overlap after a rotation ends
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Entry(
      String resourceId,
      Target spec,
      String credentialName,
      String publishedAt,
      String rotatedFor,
      String pendingRevoke) {}
}
