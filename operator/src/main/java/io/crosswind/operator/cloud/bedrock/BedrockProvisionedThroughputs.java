package io.crosswind.operator.cloud.bedrock;

import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.operator.cloud.CloudError;
import io.crosswind.operator.cloud.TargetDetails;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.cloud.TargetObservation.CloudEvent;
import io.crosswind.operator.cloud.bedrock.BedrockConnections.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.bedrock.model.CommitmentDuration;
import software.amazon.awssdk.services.bedrock.model.FoundationModelDetails;
import software.amazon.awssdk.services.bedrock.model.GetProvisionedModelThroughputResponse;

/**
 * Provisioned targets: one provisioned model throughput per target, bought with a
 * clientRequestToken derived from the target and its desired state, so that a retry or a restart
 * never buys twice; waited for without blocking. Bedrock cannot change a throughput's model units,
 * model or commitment in place (UpdateProvisionedModelThroughput takes only a new name or a custom
 * model of the same base): such a change is reported, never applied by buying more capacity.
 */
final class BedrockProvisionedThroughputs {

  static final Duration POLL = Duration.ofSeconds(15);

  /** How often a delete blocked by a commitment looks again: the term is months long. */
  static final Duration BLOCKED_RECHECK = Duration.ofHours(6);

  private final Clock clock;
  private final ChangeNotices notices = new ChangeNotices();

  BedrockProvisionedThroughputs(Clock clock) {
    this.clock = clock;
  }

  BedrockResource reconcile(
      Connection c, BedrockTargetSpec asked, FoundationModelDetails model, FoundationModelFit fit) {
    GetProvisionedModelThroughputResponse found = find(c, asked);
    BedrockTargetSpec spec = found == null ? asked : asked.named(found.provisionedModelName());
    if (found == null) {
      String arn =
          c.bedrock()
              .createProvisionedModelThroughput(
                  r ->
                      r.provisionedModelName(spec.name())
                          .modelId(spec.modelId())
                          .modelUnits(spec.modelUnits())
                          .commitmentDuration(
                              spec.commitment() == null
                                  ? null
                                  : CommitmentDuration.fromValue(spec.commitment().name()))
                          .clientRequestToken(spec.throughputToken())
                          .tags(Connection.ownerTag(spec.owner())))
              .provisionedModelArn();
      String what =
          "provisioned throughput "
              + spec.name()
              + ": "
              + units(spec.modelUnits())
              + " of "
              + spec.modelId()
              + " in "
              + spec.region()
              + (spec.commitment() == null
                  ? ", no commitment"
                  : ", " + spec.commitment() + " commitment");
      return BedrockResource.notReady(
          TargetObservation.provisioning(
              arn,
              "ThroughputCreating",
              "Buying " + what + ".",
              POLL,
              List.of(
                  new CloudEvent(false, "ThroughputCreating", "Buying Bedrock " + what + "."))));
    }
    String arn = found.provisionedModelArn();
    if (!c.owns(arn, spec.owner())) {
      return BedrockResource.notReady(
          TargetObservation.failed(
              new CloudError(
                  "NotOwned",
                  "Provisioned throughput "
                      + spec.name()
                      + " in "
                      + spec.region()
                      + " exists and was not bought by this endpoint, so Crosswind will not change"
                      + " it; rename the target.",
                  BedrockErrors.CONFIGURATION),
              arn));
    }
    String status = found.statusAsString();
    if ("Failed".equals(status)) {
      return BedrockResource.notReady(
          TargetObservation.failed(
              new CloudError(
                  "ThroughputFailed",
                  "Provisioned throughput "
                      + spec.name()
                      + " failed: "
                      + Objects.requireNonNullElse(found.failureMessage(), "Bedrock gave no reason")
                      + " Crosswind does not buy again on its own: remove the target (or the"
                      + " endpoint) and add it again to retry.",
                  BedrockErrors.CONFIGURATION),
              arn));
    }
    if (!"InService".equals(status)) {
      return BedrockResource.notReady(
          TargetObservation.provisioning(
              arn,
              "ThroughputProvisioning",
              "Provisioned throughput " + spec.name() + " is " + status + ".",
              POLL,
              null));
    }
    TargetDetails details =
        new TargetDetails(null, null, fit.lifecycle(), found.commitmentExpirationTime());
    String serves =
        "Provisioned throughput "
            + spec.name()
            + " serves "
            + spec.modelId()
            + " with "
            + units(found.desiredModelUnits())
            + " in "
            + spec.region();
    List<String> drift = drift(found, spec, model);
    TargetObservation ready;
    if (drift.isEmpty()) {
      notices.changed(arn, null);
      ready = TargetObservation.ready(arn, serves + ".", details, null);
    } else {
      String changes = String.join(", ", drift);
      String message =
          serves
              + "; Bedrock cannot change "
              + changes
              + " of a provisioned throughput in place, so that change is not applied. To resize,"
              + " add a target with the new size, then remove this one.";
      ready =
          new TargetObservation(
              TargetState.Ready,
              "ThroughputImmutable",
              message,
              arn,
              null,
              details,
              notices.changed(arn, changes)
                  ? List.of(new CloudEvent(true, "ThroughputImmutable", message))
                  : null,
              null,
              null);
    }
    return new BedrockResource(ready, arn, found.creationTime(), List.of(arn));
  }

  TargetObservation delete(Connection c, BedrockTargetSpec asked) {
    GetProvisionedModelThroughputResponse found = find(c, asked);
    BedrockTargetSpec spec = found == null ? asked : asked.named(found.provisionedModelName());
    if (found == null) {
      return TargetObservation.deleting(
          "Deleted", "The target's provisioned throughput is gone.", null, null);
    }
    String arn = found.provisionedModelArn();
    if (!c.owns(arn, spec.owner())) {
      return TargetObservation.deleting(
          "Deleted",
          "Provisioned throughput "
              + spec.name()
              + " was not bought by this endpoint and is left in place.",
          null,
          null);
    }
    Instant ends = found.commitmentExpirationTime();
    Instant now = clock.instant();
    if (ends != null && now.isBefore(ends) && !"Failed".equals(found.statusAsString())) {
      return blocked(spec, found, now);
    }
    c.bedrock().deleteProvisionedModelThroughput(r -> r.provisionedModelId(arn));
    return TargetObservation.deleting(
        "ThroughputDeleting", "Deleting provisioned throughput " + spec.name() + ".", arn, POLL);
  }

  /**
   * A delete the commitment forbids: reported with the date the term ends, looked at again every
   * few hours (never in a hot loop), and deleted once the term is over.
   */
  private static TargetObservation blocked(
      BedrockTargetSpec spec, GetProvisionedModelThroughputResponse pt, Instant now) {
    Instant ends = pt.commitmentExpirationTime();
    Duration untilEnd = Duration.between(now, ends).plusMinutes(1);
    return new TargetObservation(
        TargetState.Deleting,
        "DeletionBlocked",
        "Provisioned throughput "
            + spec.name()
            + " has a "
            + pt.commitmentDurationAsString()
            + " commitment until "
            + ends
            + " and cannot be deleted before then; Crosswind deletes it when the term ends. To"
            + " release the endpoint now and keep the capacity, set deletionPolicy: Retain.",
        pt.provisionedModelArn(),
        untilEnd.compareTo(BLOCKED_RECHECK) < 0 ? untilEnd : BLOCKED_RECHECK,
        new TargetDetails(null, null, null, ends),
        null,
        null,
        null);
  }

  /** What differs between the throughput and the spec, as "field: found -> wanted". */
  static List<String> drift(
      GetProvisionedModelThroughputResponse found,
      BedrockTargetSpec spec,
      FoundationModelDetails model) {
    List<String> drift = new ArrayList<>();
    if (!model.modelArn().equals(found.foundationModelArn())) {
      drift.add("model: " + found.foundationModelArn() + " -> " + model.modelArn());
    }
    if (!Objects.equals(found.desiredModelUnits(), spec.modelUnits())) {
      drift.add("modelUnits: " + found.desiredModelUnits() + " -> " + spec.modelUnits());
    }
    String commitment =
        found.commitmentDuration() == null ? "None" : found.commitmentDurationAsString();
    String wanted = spec.commitment() == null ? "None" : spec.commitment().name();
    if (!commitment.equals(wanted)) {
      drift.add("commitment: " + commitment + " -> " + wanted);
    }
    return drift;
  }

  /** The target's throughput by name, or null when there is none. */
  /**
   * The target's throughput under its name, else under the name Crosswind 0.1 gave it (a throughput
   * cannot be renamed, and what was bought keeps serving), if this endpoint bought it; null when
   * none.
   */
  private static GetProvisionedModelThroughputResponse find(Connection c, BedrockTargetSpec spec) {
    GetProvisionedModelThroughputResponse found = get(c, spec.name());
    if (found != null) {
      return found;
    }
    GetProvisionedModelThroughputResponse legacy = get(c, spec.legacyName());
    return legacy != null && c.owns(legacy.provisionedModelArn(), spec.owner()) ? legacy : null;
  }

  private static GetProvisionedModelThroughputResponse get(Connection c, String name) {
    try {
      return c.bedrock().getProvisionedModelThroughput(r -> r.provisionedModelId(name));
    } catch (RuntimeException e) {
      if (BedrockErrors.isNotFound(e)) {
        return null;
      }
      throw e;
    }
  }

  private static String units(Integer n) {
    return n + (n != null && n == 1 ? " model unit" : " model units");
  }
}
