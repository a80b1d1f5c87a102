package io.crosswind.operator.endpoint;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.ModelEndpointStatus;
import io.crosswind.api.v1alpha1.TargetStatus;
import io.crosswind.operator.conditions.ConditionTypes;
import io.crosswind.operator.conditions.Conditions;
import io.crosswind.operator.conditions.Conditions.Desired;
import io.crosswind.operator.conditions.Reasons;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The status of an endpoint whose deletion waits on its clouds: Ready False with Deleting (work in
 * progress) or DeletionBlocked (a commitment or an error a person must look at), and each pending
 * target's own state and reason, so that {@code kubectl get mep} says why it is still there.
 */
final class DeletionStatus {

  private DeletionStatus() {}

  static ModelEndpointStatus of(ModelEndpoint endpoint, List<TargetOutcome> pending, Instant now) {
    ModelEndpointStatus current =
        endpoint.getStatus() == null ? new ModelEndpointStatus() : endpoint.getStatus();
    boolean blocked =
        pending.stream()
            .anyMatch(
                o ->
                    Reasons.DELETION_BLOCKED.equals(o.observation().reason())
                        || o.observation().state()
                            != io.crosswind.api.v1alpha1.TargetState.Deleting);
    String message =
        "Deleting the endpoint waits on "
            + pending.stream()
                .map(
                    o ->
                        o.name()
                            + " ("
                            + o.observation().reason()
                            + ": "
                            + o.observation().message()
                            + ")")
                .collect(Collectors.joining("; "))
            + (blocked
                ? "; set deletionPolicy: Retain to let the endpoint go and keep them."
                : ".");
    List<Condition> ready =
        Conditions.merge(
            current.getConditions(),
            List.of(
                Desired.isFalse(
                    ConditionTypes.READY,
                    blocked ? Reasons.DELETION_BLOCKED : Reasons.DELETING,
                    message)),
            EndpointStatusFactory.generation(endpoint),
            now);
    List<Condition> others =
        current.getConditions() == null
            ? List.of()
            : current.getConditions().stream()
                .filter(c -> !ConditionTypes.READY.equals(c.getType()))
                .toList();
    List<TargetStatus> targets = new ArrayList<>();
    for (TargetStatus t :
        current.getTargets() == null ? List.<TargetStatus>of() : current.getTargets()) {
      Optional<TargetOutcome> o =
          pending.stream().filter(p -> p.name().equals(t.getName())).findFirst();
      if (o.isEmpty()) {
        targets.add(t);
        continue;
      }
      TargetStatus next = copy(t);
      next.setState(o.get().observation().state());
      next.setReason(o.get().observation().reason());
      next.setMessage(o.get().observation().message());
      if (o.get().observation().details().commitmentEndsAt() != null) {
        next.setCommitmentEndsAt(
            Conditions.timestamp(o.get().observation().details().commitmentEndsAt()));
      }
      targets.add(next);
    }
    ModelEndpointStatus next = new ModelEndpointStatus();
    next.setObservedGeneration(current.getObservedGeneration());
    next.setActiveTarget(current.getActiveTarget());
    next.setEndpoint(current.getEndpoint());
    next.setTargetsReady(current.getTargetsReady());
    next.setTargets(targets);
    next.setConditions(Stream.concat(ready.stream(), others.stream()).toList());
    return next;
  }

  private static TargetStatus copy(TargetStatus t) {
    TargetStatus c = new TargetStatus();
    c.setName(t.getName());
    c.setProvider(t.getProvider());
    c.setResourceId(t.getResourceId());
    c.setState(t.getState());
    c.setHealth(t.getHealth());
    c.setLastProbeTime(t.getLastProbeTime());
    c.setMessage(t.getMessage());
    c.setReason(t.getReason());
    c.setModelVersion(t.getModelVersion());
    c.setRateLimits(t.getRateLimits());
    c.setModelLifecycle(t.getModelLifecycle());
    c.setCommitmentEndsAt(t.getCommitmentEndsAt());
    c.setCredentials(t.getCredentials());
    return c;
  }
}
