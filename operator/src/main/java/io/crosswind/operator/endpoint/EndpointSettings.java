package io.crosswind.operator.endpoint;

import io.crosswind.operator.health.TargetProber;
import java.time.Duration;

/**
 * What the ModelEndpoint controller takes from the operator's configuration.
 *
 * @param clusterId this cluster's name in ownership tags
 * @param operatorNamespace where the operator runs, beside the gateway's Service
 * @param gatewayService the gateway's Service in the operator namespace, which endpoint Services
 *     lead to
 * @param clusterDomain the cluster's DNS domain
 * @param defaultProbe probe settings for endpoints whose policy sets none
 * @param endpointKeyOverlap how long the gateway accepts an endpoint key after its rotation
 * @param resyncInterval the longest wait before an endpoint is looked at again
 * @param routeTableNamespace where the route tables live: a namespace of their own, so that the
 *     gateway reads no other Secret; the operator namespace when not given
 */
public record EndpointSettings(
    String clusterId,
    String operatorNamespace,
    String gatewayService,
    String clusterDomain,
    TargetProber.Settings defaultProbe,
    Duration endpointKeyOverlap,
    Duration resyncInterval,
    String routeTableNamespace) {

  public EndpointSettings {
    if (routeTableNamespace == null || routeTableNamespace.isBlank()) {
      routeTableNamespace = operatorNamespace;
    }
  }

  /** Route tables in the operator namespace. */
  public EndpointSettings(
      String clusterId,
      String operatorNamespace,
      String gatewayService,
      String clusterDomain,
      TargetProber.Settings defaultProbe,
      Duration endpointKeyOverlap,
      Duration resyncInterval) {
    this(
        clusterId,
        operatorNamespace,
        gatewayService,
        clusterDomain,
        defaultProbe,
        endpointKeyOverlap,
        resyncInterval,
        null);
  }

  /** The shortest wait before looking at a target again, so that nothing loops hot. */
  public static final Duration MIN_RECHECK = Duration.ofSeconds(1);
}
