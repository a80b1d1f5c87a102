package io.crosswind.operator.cloud.bedrock;

import io.crosswind.operator.cloud.ManagementPacer;
import io.crosswind.operator.cloud.ManagementPacer.Limit;
import java.util.Map;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Paces every attempt an AWS client sends (retries count against the quota too), in the buckets AWS
 * keeps per account and region: one per Bedrock control-plane API, one for all of STS.
 *
 * <p>The figures are AWS's published defaults for the request rate of each API (the Service Quotas
 * of Amazon Bedrock and the STS request quota of the IAM user guide; docs/configuration.md names
 * them). An API with no published figure is paced at the smallest one.
 */
final class AwsPacing implements ExecutionInterceptor {

  /** STS: 600 requests a second per account and region, shared by every STS API. */
  static final Limit STS = new Limit(600, 600);

  /**
   * Bedrock control-plane APIs with a published rate (requests a second, per account and region).
   */
  static final Map<String, Limit> BEDROCK =
      Map.ofEntries(
          Map.entry("GetFoundationModel", new Limit(10, 10)),
          Map.entry("ListFoundationModels", new Limit(5, 5)),
          Map.entry("CreateInferenceProfile", new Limit(1, 1)),
          Map.entry("GetInferenceProfile", new Limit(10, 10)),
          Map.entry("ListInferenceProfiles", new Limit(5, 5)),
          Map.entry("DeleteInferenceProfile", new Limit(1, 1)),
          Map.entry("CreateProvisionedModelThroughput", new Limit(1, 1)),
          Map.entry("GetProvisionedModelThroughput", new Limit(10, 10)),
          Map.entry("ListProvisionedModelThroughputs", new Limit(5, 5)),
          Map.entry("UpdateProvisionedModelThroughput", new Limit(1, 1)),
          Map.entry("DeleteProvisionedModelThroughput", new Limit(1, 1)),
          Map.entry("TagResource", new Limit(5, 5)),
          Map.entry("UntagResource", new Limit(5, 5)),
          Map.entry("ListTagsForResource", new Limit(10, 10)));

  private static final Limit SMALLEST = new Limit(1, 1);

  /**
   * The longest a call waits here for its token. The wait is inside the SDK's call, so it counts
   * against the client's api-call timeout (20 s): a longer wait is handed back as a turn instead.
   */
  static final java.time.Duration MAX_WAIT_IN_CALL = java.time.Duration.ofSeconds(8);

  private final ManagementPacer pacer;
  private final String cloud;
  private final String scope;

  /**
   * @param cloud "bedrock" or "sts"
   * @param scope the region and the account (or, where the account is not known, the identity's
   *     digest), with no secret in it
   */
  AwsPacing(ManagementPacer pacer, String cloud, String scope) {
    this.pacer = pacer;
    this.cloud = cloud;
    this.scope = scope;
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    if ("sts".equals(cloud)) {
      pacer.acquire(cloud, scope, STS, MAX_WAIT_IN_CALL);
    } else {
      pacer.acquire(
          cloud,
          scope + "|" + operation,
          BEDROCK.getOrDefault(operation, SMALLEST),
          MAX_WAIT_IN_CALL);
    }
  }

  /** The account of a role ARN (arn:aws:iam::ACCOUNT:role/NAME), or null. */
  static String accountOf(String roleArn) {
    if (roleArn == null) {
      return null;
    }
    String[] parts = roleArn.split(":");
    return parts.length > 4 && !parts[4].isBlank() ? parts[4] : null;
  }
}
