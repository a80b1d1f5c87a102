package io.crosswind.operator.cloud;

/**
 * The cloud identity a CloudGrant names for the target it allows: what the provider signs in as
 * when the target names no credentials of its own.
 *
 * @param grant the CloudGrant's name, for messages; null for {@link #NONE}
 * @param azureTenantId the workload identity's tenant, null for the operator's
 * @param azureClientId the workload identity's client id, null for the operator's own identity
 * @param awsRoleArn the role to assume, null for the target's or the operator's default
 */
public record GrantedIdentity(
    String grant, String azureTenantId, String azureClientId, String awsRoleArn) {

  /** No identity named: the target's own credentials or the operator's. */
  public static final GrantedIdentity NONE = new GrantedIdentity(null, null, null, null);
}
