package io.crosswind.operator.tenancy;

import io.crosswind.api.v1alpha1.AzureGrant;
import io.crosswind.api.v1alpha1.AzureTarget;
import io.crosswind.api.v1alpha1.BedrockGrant;
import io.crosswind.api.v1alpha1.BedrockTarget;
import io.crosswind.api.v1alpha1.CloudGrant;
import io.crosswind.api.v1alpha1.Commitment;
import io.crosswind.api.v1alpha1.Target;
import io.crosswind.api.v1alpha1.ThroughputGrant;
import io.crosswind.api.v1alpha1.ThroughputMode;
import io.crosswind.api.v1alpha1.WorkloadIdentity;
import io.crosswind.operator.cloud.GrantedIdentity;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the CloudGrants that cover a namespace allow one target of an endpoint there. A target is
 * allowed when one grant allows all of it; grants do not add up piece by piece, so what a grant
 * says can be read on its own.
 */
public final class Grants {

  /** The reason of a target that no grant allows. */
  public static final String NOT_GRANTED = "NotGranted";

  private Grants() {}

  /** The grants that list {@code namespace}, by name. */
  public static List<CloudGrant> covering(String namespace, Collection<CloudGrant> grants) {
    return grants.stream()
        .filter(g -> covers(g, namespace))
        .sorted(Comparator.comparing(g -> g.getMetadata().getName()))
        .toList();
  }

  public static boolean covers(CloudGrant grant, String namespace) {
    return grant.getSpec() != null
        && grant.getSpec().getNamespaces() != null
        && grant.getSpec().getNamespaces().contains(namespace);
  }

  /**
   * What the grants decide for one target: why none allows it, or the identity the allowing grant
   * names for it.
   *
   * @param denial a sentence that says what an admin applies to allow the target; null when allowed
   * @param identity the allowing grant's identity; {@link GrantedIdentity#NONE} when denied
   */
  public record Decision(String denial, GrantedIdentity identity) {
    public boolean allowed() {
      return denial == null;
    }
  }

  /** Why no grant allows the target; empty when one does ({@link #decide}). */
  public static Optional<String> denial(
      String namespace, Target target, String defaultSubscription, List<CloudGrant> grants) {
    return Optional.ofNullable(decide(namespace, target, defaultSubscription, grants).denial());
  }

  /**
   * Whether a grant allows the target, and which identity it names for it. The first grant by name
   * that allows all of the target decides.
   *
   * @param grants the grants that cover the endpoint's namespace ({@link #covering})
   * @param defaultSubscription the operator's Azure subscription, for targets that name none
   */
  public static Decision decide(
      String namespace, Target target, String defaultSubscription, List<CloudGrant> grants) {
    if (grants.isEmpty()) {
      return new Decision(
          "No CloudGrant covers namespace "
              + namespace
              + ", so Crosswind neither creates, reads nor publishes anything for it. A platform"
              + " admin applies a CloudGrant that lists "
              + namespace
              + " in spec.namespaces (docs/tenancy.md).",
          GrantedIdentity.NONE);
    }
    StringBuilder why = new StringBuilder();
    for (CloudGrant grant : grants) {
      Verdict verdict = verdict(target, defaultSubscription, grant);
      if (verdict.problem() == null) {
        return new Decision(null, verdict.identity());
      }
      why.append(why.isEmpty() ? "" : "; ")
          .append("CloudGrant ")
          .append(grant.getMetadata().getName())
          .append(": ")
          .append(verdict.problem());
    }
    return new Decision(
        "No CloudGrant for namespace "
            + namespace
            + " allows target "
            + target.getName()
            + " ("
            + why
            + "). A platform admin adds it to a grant, or the target changes to what a grant"
            + " allows.",
        GrantedIdentity.NONE);
  }

  /** One grant's answer: a problem, or the identity it names. */
  private record Verdict(String problem, GrantedIdentity identity) {
    static Verdict refused(String problem) {
      return new Verdict(problem, GrantedIdentity.NONE);
    }

    Verdict and(Optional<String> further) {
      return further.map(Verdict::refused).orElse(this);
    }
  }

  private static Verdict verdict(Target target, String defaultSubscription, CloudGrant grant) {
    if (target.getAzure() != null) {
      return azure(target.getAzure(), defaultSubscription, grant);
    }
    if (target.getBedrock() != null) {
      return bedrock(target.getBedrock(), grant);
    }
    return new Verdict(null, GrantedIdentity.NONE);
  }

  private static Verdict azure(AzureTarget azure, String defaultSubscription, CloudGrant grant) {
    List<AzureGrant> entries = grant.getSpec().getAzure();
    if (entries == null || entries.isEmpty()) {
      return Verdict.refused("it allows no Azure target (spec.azure is empty)");
    }
    String subscription =
        azure.getSubscriptionId() != null ? azure.getSubscriptionId() : defaultSubscription;
    List<AzureGrant> here =
        entries.stream()
            .filter(e -> sameSubscription(e, subscription, defaultSubscription))
            .filter(
                e ->
                    e.getResourceGroups() != null
                        && e.getResourceGroups().stream()
                            .anyMatch(rg -> rg.equalsIgnoreCase(azure.getResourceGroup())))
            .toList();
    if (here.isEmpty()) {
      return Verdict.refused(
          "resource group "
              + azure.getResourceGroup()
              + (azure.getSubscriptionId() == null
                  ? ""
                  : " in subscription " + azure.getSubscriptionId())
              + " is not in spec.azure[].resourceGroups");
    }
    String account = azure.getAccount() == null ? null : azure.getAccount().getName();
    boolean create = azure.getAccount() != null && azure.getAccount().getCreate() != null;
    Optional<AzureGrant> allowing =
        here.stream()
            .filter(
                e ->
                    create
                        ? Boolean.TRUE.equals(e.getCreateAccounts())
                            || listed(e.getAccounts(), account)
                        : listed(e.getAccounts(), account))
            .findFirst();
    if (allowing.isEmpty()) {
      return Verdict.refused(
          create
              ? "creating accounts in resource group "
                  + azure.getResourceGroup()
                  + " is not allowed (spec.azure[].createAccounts)"
              : "the existing account " + account + " is not in spec.azure[].accounts");
    }
    String model =
        azure.getDeployment() == null || azure.getDeployment().getModel() == null
            ? null
            : azure.getDeployment().getModel().getName();
    WorkloadIdentity identity = allowing.get().getWorkloadIdentity();
    GrantedIdentity granted =
        identity == null
            ? new GrantedIdentity(grant.getMetadata().getName(), null, null, null)
            : new GrantedIdentity(
                grant.getMetadata().getName(),
                identity.getTenantId(),
                identity.getClientId(),
                null);
    return new Verdict(null, granted).and(model(model, grant));
  }

  private static boolean sameSubscription(
      AzureGrant entry, String subscription, String defaultSubscription) {
    String granted =
        entry.getSubscriptionId() != null ? entry.getSubscriptionId() : defaultSubscription;
    return granted != null && subscription != null && granted.equalsIgnoreCase(subscription);
  }

  private static boolean listed(List<String> accounts, String account) {
    return accounts != null && account != null && accounts.contains(account);
  }

  private static Verdict bedrock(BedrockTarget bedrock, CloudGrant grant) {
    Optional<String> problem = bedrockProblem(bedrock, grant);
    if (problem.isPresent()) {
      return Verdict.refused(problem.get());
    }
    String role = bedrock.getRoleArn() == null ? grant.getSpec().getBedrock().getRoleArn() : null;
    return new Verdict(null, new GrantedIdentity(grant.getMetadata().getName(), null, null, role));
  }

  private static Optional<String> bedrockProblem(BedrockTarget bedrock, CloudGrant grant) {
    BedrockGrant granted = grant.getSpec().getBedrock();
    if (granted == null) {
      return Optional.of("it allows no Bedrock target (spec.bedrock is absent)");
    }
    if (granted.getRegions() == null || !granted.getRegions().contains(bedrock.getRegion())) {
      return Optional.of("region " + bedrock.getRegion() + " is not in spec.bedrock.regions");
    }
    if (bedrock.getRoleArn() != null) {
      boolean listed =
          bedrock.getRoleArn().equals(granted.getRoleArn())
              || (granted.getRoleArns() != null
                  && granted.getRoleArns().contains(bedrock.getRoleArn()));
      if (!listed) {
        return Optional.of(
            "role " + bedrock.getRoleArn() + " is neither spec.bedrock.roleArn nor in roleArns");
      }
    } else if (granted.getRoleArn() == null
        && !Boolean.TRUE.equals(granted.getUseOperatorIdentity())) {
      return Optional.of(
          "a target without bedrock.roleArn uses spec.bedrock.roleArn, which is absent, or the"
              + " operator's own identity, which spec.bedrock.useOperatorIdentity does not allow");
    }
    if (bedrock.getThroughput() != null
        && bedrock.getThroughput().getMode() == ThroughputMode.Provisioned) {
      ThroughputGrant limit = granted.getProvisionedThroughput();
      if (limit == null) {
        return Optional.of(
            "provisioned throughput is not allowed (spec.bedrock.provisionedThroughput)");
      }
      int units =
          bedrock.getThroughput().getModelUnits() == null
              ? 1
              : bedrock.getThroughput().getModelUnits();
      if (limit.getMaxModelUnits() == null || units > limit.getMaxModelUnits()) {
        return Optional.of(
            units
                + " model units exceed spec.bedrock.provisionedThroughput.maxModelUnits ("
                + limit.getMaxModelUnits()
                + ")");
      }
      Commitment term =
          Objects.requireNonNullElse(bedrock.getThroughput().getCommitment(), Commitment.None);
      List<Commitment> terms =
          limit.getCommitments() == null ? List.of(Commitment.None) : limit.getCommitments();
      if (!terms.contains(term)) {
        return Optional.of(
            "commitment "
                + term
                + " is not in spec.bedrock.provisionedThroughput.commitments"
                + (limit.getCommitments() == null ? " (absent: None only)" : ""));
      }
    }
    return model(bedrock.getModelId(), grant);
  }

  private static Optional<String> model(String model, CloudGrant grant) {
    List<String> models = grant.getSpec().getModels();
    if (models == null || models.isEmpty() || model == null) {
      return Optional.empty();
    }
    boolean allowed =
        models.stream()
            .anyMatch(
                m ->
                    m.endsWith("*")
                        ? model.startsWith(m.substring(0, m.length() - 1))
                        : m.equals(model));
    return allowed ? Optional.empty() : Optional.of("model " + model + " is not in spec.models");
  }
}
