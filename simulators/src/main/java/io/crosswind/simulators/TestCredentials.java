package io.crosswind.simulators;

/**
 * The credentials the simulators accept. They are made up for tests and open nothing anywhere else;
 * every run generates a fresh client secret and AWS secret key.
 *
 * @param tenantId the Entra ID tenant
 * @param clientId the service principal's client id
 * @param clientSecret the service principal's secret
 * @param subscriptionId the Azure subscription the ARM simulator serves
 * @param awsAccountId the AWS account the Bedrock simulators serve
 * @param awsAccessKeyId the IAM access key id
 * @param awsSecretAccessKey the IAM secret access key
 */
public record TestCredentials(
    String tenantId,
    String clientId,
    String clientSecret,
    String subscriptionId,
    String awsAccountId,
    String awsAccessKeyId,
    String awsSecretAccessKey) {

  @Override
  public String toString() {
    return "TestCredentials[tenantId="
        + tenantId
        + ", clientId="
        + clientId
        + ", subscriptionId="
        + subscriptionId
        + ", awsAccountId="
        + awsAccountId
        + ", awsAccessKeyId="
        + awsAccessKeyId
        + ", secrets hidden]";
  }
}
