package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.DeletionPolicy;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.Provider;
import io.crosswind.api.v1alpha1.Target;
import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.operator.cloud.CloudError;
import io.crosswind.operator.cloud.CloudProviders;
import io.crosswind.operator.cloud.Credential;
import io.crosswind.operator.cloud.Owner;
import io.crosswind.operator.cloud.SharedCredentials;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.cloud.TargetProvider;
import io.crosswind.operator.cloud.TargetRequest;
import io.crosswind.operator.publish.PublishedTable;
import io.crosswind.operator.publish.PublishedTable.Route;
import io.crosswind.operator.tenancy.GrantBook;
import io.crosswind.operator.tenancy.Grants;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The cloud step of a reconcile: each target through its provider, with its credentials Secret and
 * the credential published so far; targets removed from the spec cleaned up as {@code
 * deletionPolicy} says.
 */
final class TargetProvisioner {

  static final Duration SECRET_RECHECK = Duration.ofMinutes(1);

  private final CloudProviders providers;
  private final String clusterId;
  private final GrantBook grants;

  TargetProvisioner(CloudProviders providers, String clusterId, GrantBook grants) {
    this.providers = providers;
    this.clusterId = clusterId;
    this.grants = grants;
  }

  GrantBook grants() {
    return grants;
  }

  Owner owner(ModelEndpoint endpoint) {
    return new Owner(
        clusterId,
        endpoint.getMetadata().getNamespace(),
        endpoint.getMetadata().getName(),
        endpoint.getMetadata().getUid());
  }

  /**
   * Reconciles every target of the spec that a CloudGrant allows (one no grant allows makes no
   * cloud call and fails with {@link Grants#NOT_GRANTED}), then cleans up those that left it.
   */
  List<TargetOutcome> reconcile(
      ModelEndpoint endpoint,
      PublishedTable previous,
      KubernetesClient client,
      SharedCredentials shared) {
    String rotation = rotationRequest(endpoint);
    List<TargetOutcome> outcomes = new ArrayList<>();
    for (Target target : targets(endpoint)) {
      Grants.Decision decision = grants.decide(endpoint, target);
      if (!decision.allowed()) {
        outcomes.add(
            new TargetOutcome(
                target,
                TargetFacts.provider(target).orElse(null),
                TargetObservation.failed(
                    new CloudError(Grants.NOT_GRANTED, decision.denial(), null), null),
                false));
        continue;
      }
      Optional<Credential> published =
          previous
              .route(target.getName())
              .filter(r -> r.credential() != null)
              .filter(
                  r -> TargetFacts.provider(target).map(Enum::name).orElse("").equals(r.provider()))
              .map(r -> r.credential().toCredential());
      outcomes.add(
          run(
              endpoint,
              previous,
              target,
              false,
              client,
              (provider, request) ->
                  provider.reconcile(
                      request
                          .withPublished(published.orElse(null))
                          .withRotationRequest(rotation)
                          .withShared(shared))));
    }
    outcomes.addAll(cleanUpRemoved(endpoint, previous, client));
    return outcomes;
  }

  /**
   * Deletes the cloud resources of every target, current and removed (deletionPolicy Delete). A
   * target the route table records no resource for made nothing: a failure to even look (no
   * subscription, no provider, bad credentials) does not hold the endpoint's deletion up.
   */
  List<TargetOutcome> delete(
      ModelEndpoint endpoint, PublishedTable previous, KubernetesClient client) {
    List<TargetOutcome> outcomes = new ArrayList<>();
    for (Target target : allTargets(endpoint, previous)) {
      TargetOutcome outcome =
          run(endpoint, previous, target, false, client, TargetProvider::delete);
      boolean madeSomething = previous.route(target.getName()).map(Route::resourceId).isPresent();
      if (!madeSomething && outcome.observation().state() == TargetState.Failed) {
        outcome =
            new TargetOutcome(
                target,
                outcome.provider(),
                TargetObservation.deleting(
                    "NothingToDelete",
                    "Crosswind recorded no cloud resource for this target, and could not look ("
                        + outcome.observation().reason()
                        + "); nothing was deleted.",
                    null,
                    null),
                false);
      }
      outcomes.add(outcome);
    }
    return outcomes;
  }

  private List<TargetOutcome> cleanUpRemoved(
      ModelEndpoint endpoint, PublishedTable previous, KubernetesClient client) {
    Set<String> current =
        targets(endpoint).stream().map(Target::getName).collect(Collectors.toSet());
    List<TargetOutcome> outcomes = new ArrayList<>();
    for (Route route : previous.routes()) {
      if (current.contains(route.target()) || route.spec() == null) {
        continue;
      }
      if (deletionPolicy(endpoint) == DeletionPolicy.Retain) {
        outcomes.add(
            new TargetOutcome(
                route.spec(),
                Provider.valueOf(route.provider()),
                TargetObservation.deleting(
                    "Retained",
                    "Target "
                        + route.target()
                        + " left the endpoint; its cloud resources stay (deletionPolicy Retain).",
                    null,
                    null),
                true));
        continue;
      }
      outcomes.add(run(endpoint, previous, route.spec(), true, client, TargetProvider::delete));
    }
    return outcomes;
  }

  private TargetOutcome run(
      ModelEndpoint endpoint,
      PublishedTable previous,
      Target target,
      boolean removed,
      KubernetesClient client,
      BiFunction<TargetProvider, TargetRequest, TargetObservation> step) {
    Optional<Provider> cloud = TargetFacts.provider(target);
    if (cloud.isEmpty()) {
      return new TargetOutcome(
          target,
          null,
          TargetObservation.failed(
              new CloudError("InvalidTarget", "The target names neither bedrock nor azure.", null),
              null),
          removed);
    }
    Optional<TargetProvider> provider = providers.get(cloud.get());
    if (provider.isEmpty()) {
      return new TargetOutcome(
          target,
          cloud.get(),
          TargetObservation.failed(
              new CloudError(
                  "ProviderUnavailable",
                  "This operator runs without a " + cloud.get() + " provider.",
                  null),
              null),
          removed);
    }
    CredentialsLookup credentials = credentials(endpoint, target, client);
    if (credentials.error() != null) {
      return new TargetOutcome(
          target, cloud.get(), TargetObservation.failed(credentials.error(), null), removed);
    }
    // A target no grant allows any more is still deleted, as the operator's own identity.
    TargetRequest request =
        new TargetRequest(owner(endpoint), target, credentials.data())
            .withRecordedResourceId(
                previous.route(target.getName()).map(Route::resourceId).orElse(null))
            .withIdentity(grants.decide(endpoint, target).identity());
    return new TargetOutcome(target, cloud.get(), step.apply(provider.get(), request), removed);
  }

  private record CredentialsLookup(Map<String, String> data, CloudError error) {}

  private static CredentialsLookup credentials(
      ModelEndpoint endpoint, Target target, KubernetesClient client) {
    if (target.getCredentialsSecretRef() == null) {
      return new CredentialsLookup(Map.of(), null);
    }
    String name = target.getCredentialsSecretRef().getName();
    String namespace = endpoint.getMetadata().getNamespace();
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(name).get();
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw e;
      }
      return new CredentialsLookup(
          null,
          new CloudError(
              "CredentialsSecretForbidden",
              "The operator may not read Secret "
                  + name
                  + " in namespace "
                  + namespace
                  + "; grant its ServiceAccount get on that Secret with a Role and RoleBinding"
                  + " (docs/security.md shows one).",
              SECRET_RECHECK));
    }
    if (secret == null) {
      return new CredentialsLookup(
          null,
          new CloudError(
              "CredentialsSecretNotFound",
              "Secret "
                  + name
                  + " that target "
                  + target.getName()
                  + " names in credentialsSecretRef does not exist in namespace "
                  + namespace
                  + "; create it or remove credentialsSecretRef to use the operator's identity.",
              SECRET_RECHECK));
    }
    CredentialsInUse.hold(endpoint, secret, client);
    Map<String, String> data = new HashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      data.putAll(secret.getStringData());
    }
    return new CredentialsLookup(data, null);
  }

  /**
   * The credentials Secrets the endpoint may hold and no longer needs: those of targets that left
   * the spec and whose cloud resources are gone (or retained), when no remaining target names them.
   */
  static Set<String> credentialsNoLongerNeeded(
      ModelEndpoint endpoint, PublishedTable previous, List<TargetOutcome> outcomes) {
    Set<String> needed = credentialsSecrets(targets(endpoint));
    outcomes.stream()
        .filter(o -> o.removed() && !o.observation().deleted())
        .forEach(o -> needed.addAll(credentialsSecrets(List.of(o.target()))));
    Set<String> current =
        targets(endpoint).stream().map(Target::getName).collect(Collectors.toSet());
    Set<String> left =
        credentialsSecrets(
            previous.routes().stream()
                .filter(r -> r.spec() != null && !current.contains(r.target()))
                .map(Route::spec)
                .toList());
    left.removeAll(needed);
    return left;
  }

  /** Every credentials Secret the endpoint's targets name now or named when they were made. */
  static Set<String> allCredentialsSecrets(ModelEndpoint endpoint, PublishedTable previous) {
    return credentialsSecrets(allTargets(endpoint, previous));
  }

  private static Set<String> credentialsSecrets(Collection<Target> targets) {
    return targets.stream()
        .filter(t -> t.getCredentialsSecretRef() != null)
        .map(t -> t.getCredentialsSecretRef().getName())
        .filter(Objects::nonNull)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  static List<Target> targets(ModelEndpoint endpoint) {
    return endpoint.getSpec() == null || endpoint.getSpec().getTargets() == null
        ? List.of()
        : endpoint.getSpec().getTargets();
  }

  private static List<Target> allTargets(ModelEndpoint endpoint, PublishedTable previous) {
    List<Target> all = new ArrayList<>(targets(endpoint));
    Set<String> names = all.stream().map(Target::getName).collect(Collectors.toSet());
    previous.routes().stream()
        .filter(r -> r.spec() != null && !names.contains(r.target()))
        .forEach(r -> all.add(r.spec()));
    return all;
  }

  static DeletionPolicy deletionPolicy(ModelEndpoint endpoint) {
    return endpoint.getSpec() == null || endpoint.getSpec().getDeletionPolicy() == null
        ? DeletionPolicy.Delete
        : endpoint.getSpec().getDeletionPolicy();
  }

  static String rotationRequest(ModelEndpoint endpoint) {
    Map<String, String> annotations = endpoint.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ModelEndpoint.ROTATE_CREDENTIALS);
  }
}
