package io.crosswind.operator.routing;

import io.crosswind.api.v1alpha1.FailoverSpec;
import io.crosswind.api.v1alpha1.PolicyTarget;
import io.crosswind.api.v1alpha1.ProbeSpec;
import io.crosswind.api.v1alpha1.RoutingPolicySpec;
import io.crosswind.api.v1alpha1.RoutingStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a RoutingPolicy spec and names each problem with the field that has it.
 *
 * <p>The CRD schema rejects all of this at the API server already; the operator checks again so
 * that a policy stored under an older or hand-edited CRD is reported as {@code Accepted=False}
 * instead of being acted on.
 */
public final class PolicyValidator {

  static final Duration MIN_PROBE_INTERVAL = Duration.ofSeconds(1);

  private PolicyValidator() {}

  /** The problems, each one sentence naming its field; empty when the policy is valid. */
  public static List<String> problems(RoutingPolicySpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      problems.add("spec is missing");
      return problems;
    }
    List<PolicyTarget> targets = spec.getTargets() == null ? List.of() : spec.getTargets();
    if (targets.isEmpty()) {
      problems.add("spec.targets must list at least one target or provider");
    }
    checkTargets(targets, problems);
    checkWeights(strategy(spec), targets, problems);
    checkPin(spec.getPin(), targets, problems);
    checkFailover(spec.getFailover(), problems);
    return problems;
  }

  public static RoutingStrategy strategy(RoutingPolicySpec spec) {
    return spec.getStrategy() == null ? RoutingStrategy.Failover : spec.getStrategy();
  }

  private static void checkTargets(List<PolicyTarget> targets, List<String> problems) {
    Set<String> names = new HashSet<>();
    Set<Object> providers = new HashSet<>();
    Set<Integer> priorities = new HashSet<>();
    for (int i = 0; i < targets.size(); i++) {
      PolicyTarget t = targets.get(i);
      String at = "spec.targets[" + i + "]";
      if ((t.getName() == null) == (t.getProvider() == null)) {
        problems.add(at + " must set exactly one of name or provider");
      }
      if (t.getName() != null && !names.add(t.getName())) {
        problems.add(at + ".name \"" + t.getName() + "\" appears more than once");
      }
      if (t.getProvider() != null && !providers.add(t.getProvider())) {
        problems.add(at + ".provider " + t.getProvider() + " appears more than once");
      }
      if (t.getPriority() != null && !priorities.add(t.getPriority())) {
        problems.add(at + ".priority " + t.getPriority() + " is used by another target");
      }
    }
  }

  private static void checkWeights(
      RoutingStrategy strategy, List<PolicyTarget> targets, List<String> problems) {
    boolean anyWeight = targets.stream().anyMatch(t -> t.getWeight() != null);
    if (strategy != RoutingStrategy.Weighted) {
      if (anyWeight) {
        problems.add(
            "spec.targets sets weight, which applies only to strategy Weighted: remove the weights"
                + " or set strategy: Weighted");
      }
      return;
    }
    if (targets.stream().anyMatch(t -> t.getWeight() == null)) {
      problems.add("strategy Weighted needs a weight on every entry of spec.targets");
    } else if (targets.stream().noneMatch(t -> t.getWeight() > 0)) {
      problems.add("strategy Weighted needs at least one target with a weight above 0");
    }
  }

  private static void checkPin(String pin, List<PolicyTarget> targets, List<String> problems) {
    if (pin == null || pin.isEmpty()) {
      return;
    }
    boolean listed =
        targets.stream()
            .anyMatch(
                t ->
                    pin.equals(t.getName())
                        || (t.getProvider() != null && pin.equals(t.getProvider().name())));
    if (!listed) {
      problems.add("spec.pin \"" + pin + "\" is not a target or provider listed in spec.targets");
    }
  }

  private static void checkFailover(FailoverSpec failover, List<String> problems) {
    if (failover == null) {
      return;
    }
    durationField("spec.failover.stabilizationWindow", failover.getStabilizationWindow(), problems);
    ProbeSpec probe = failover.getProbe();
    if (probe == null) {
      return;
    }
    Optional<Duration> interval =
        durationField("spec.failover.probe.interval", probe.getInterval(), problems);
    Optional<Duration> timeout =
        durationField("spec.failover.probe.timeout", probe.getTimeout(), problems);
    interval
        .filter(i -> i.compareTo(MIN_PROBE_INTERVAL) < 0)
        .ifPresent(
            i ->
                problems.add(
                    "spec.failover.probe.interval ("
                        + probe.getInterval()
                        + ") must be at least 1s"));
    if (interval.isPresent()
        && timeout.isPresent()
        && timeout.get().compareTo(interval.get()) >= 0) {
      problems.add(
          "spec.failover.probe.timeout ("
              + probe.getTimeout()
              + ") must be shorter than spec.failover.probe.interval ("
              + probe.getInterval()
              + ")");
    }
  }

  private static Optional<Duration> durationField(
      String field, String value, List<String> problems) {
    if (value == null) {
      return Optional.empty();
    }
    Optional<Duration> parsed = GoDuration.parse(value);
    if (parsed.isEmpty()) {
      problems.add(field + " \"" + value + "\" is not a duration such as 30s, 5m or 1h30m");
    }
    return parsed;
  }
}
