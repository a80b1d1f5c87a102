package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.ProbeSpec;
import io.crosswind.api.v1alpha1.RoutingPolicySpec;
import io.crosswind.operator.health.TargetProber;
import io.crosswind.operator.routing.GoDuration;
import java.util.Optional;

/** How an endpoint's targets are probed: the policy's probe settings over the operator's. */
final class ProbeSettings {

  private ProbeSettings() {}

  static TargetProber.Settings of(
      Optional<RoutingPolicySpec> policy, TargetProber.Settings defaults) {
    Optional<ProbeSpec> probe = policy.map(RoutingPolicySpec::getFailover).map(f -> f.getProbe());
    return new TargetProber.Settings(
        probe.map(ProbeSpec::getInterval).flatMap(GoDuration::parse).orElse(defaults.interval()),
        probe.map(ProbeSpec::getTimeout).flatMap(GoDuration::parse).orElse(defaults.timeout()),
        probe.map(ProbeSpec::getFailureThreshold).orElse(defaults.failureThreshold()),
        probe.map(ProbeSpec::getSuccessThreshold).orElse(defaults.successThreshold()));
  }
}
