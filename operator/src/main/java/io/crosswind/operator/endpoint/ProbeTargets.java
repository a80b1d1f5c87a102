package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.Provider;
import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.operator.cloud.Credential;
import io.crosswind.operator.cloud.Upstream;
import io.crosswind.operator.publish.PublishedTable;
import java.util.List;

/** What the operator probes of an endpoint: each target it published as ready to serve. */
final class ProbeTargets {

  /**
   * One target to probe, where it answers and with what credential.
   *
   * @param target the target's name
   * @param provider its cloud, whose provider knows how to probe it
   */
  record ProbeTarget(String target, Provider provider, Upstream upstream, Credential credential) {}

  private ProbeTargets() {}

  /** The ready routes with an upstream and a credential, as the route table publishes them. */
  static List<ProbeTarget> of(PublishedTable published) {
    return published.routes().stream()
        .filter(r -> TargetState.Ready.name().equals(r.state()))
        .filter(r -> r.url() != null && r.api() != null && r.credential() != null)
        .map(
            r ->
                new ProbeTarget(
                    r.target(),
                    Provider.valueOf(r.provider()),
                    new Upstream(
                        Upstream.Api.valueOf(r.api()), r.url(), r.upstreamModel(), r.region()),
                    r.credential().toCredential()))
        .toList();
  }
}
