package io.crosswind.operator.routing;

import io.crosswind.api.v1alpha1.FailoverSpec;
import io.crosswind.api.v1alpha1.FailoverTrigger;
import io.crosswind.api.v1alpha1.PolicyTarget;
import io.crosswind.api.v1alpha1.Provider;
import io.crosswind.api.v1alpha1.RoutingPolicySpec;
import io.crosswind.api.v1alpha1.RoutingStrategy;
import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.api.v1alpha1.TargetState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which target serves an endpoint now, decided from values only: the policy (or, without one, the
 * order of the targets), each target's state, health and region. Priority order, the policy's
 * failover triggers, region constraints and the pin.
 */
public final class ActiveTargetDecision {

  private ActiveTargetDecision() {}

  /** One target as the decision sees it; region null when not known. */
  public record Candidate(
      String name, Provider provider, String region, TargetState state, TargetHealth health) {}

  /** A target with its place in the policy; not selectable when the policy names it nowhere. */
  public record Ranked(Candidate candidate, int priority, int weight, boolean selectable) {}

  /**
   * The outcome.
   *
   * @param active the target that serves, empty when none can
   * @param ranked every target, most preferred first
   * @param preferred true when the active target is the first selectable one by priority
   * @param why one sentence on the choice, for the Ready condition and events
   */
  public record Selection(
      Optional<String> active, List<Ranked> ranked, boolean preferred, String why) {}

  public static Selection decide(Optional<RoutingPolicySpec> policy, List<Candidate> targets) {
    List<Ranked> ranked = rank(policy, targets);
    List<String> regions =
        policy
            .map(RoutingPolicySpec::getConstraints)
            .map(c -> c.getRegions() == null ? List.<String>of() : c.getRegions())
            .orElse(List.of());
    List<Ranked> eligible =
        ranked.stream()
            .filter(Ranked::selectable)
            .filter(r -> r.candidate().state() == TargetState.Ready)
            .filter(
                r ->
                    regions.isEmpty()
                        || r.candidate().region() == null
                        || regions.contains(r.candidate().region()))
            .toList();
    Optional<Ranked> first = ranked.stream().filter(Ranked::selectable).findFirst();
    String pin = policy.map(RoutingPolicySpec::getPin).filter(p -> !p.isBlank()).orElse(null);
    if (pin != null) {
      Optional<Ranked> pinned =
          eligible.stream()
              .filter(
                  r ->
                      r.candidate().name().equals(pin)
                          || r.candidate().provider().name().equals(pin))
              .findFirst();
      if (pinned.isPresent()) {
        return new Selection(
            Optional.of(pinned.get().candidate().name()),
            ranked,
            true,
            "serving through " + pinned.get().candidate().name() + " (pinned by the policy)");
      }
    }
    Set<FailoverTrigger> triggers = triggers(policy);
    Optional<Ranked> healthy =
        eligible.stream().filter(r -> !avoided(r.candidate().health(), triggers)).findFirst();
    Optional<Ranked> chosen = healthy.or(() -> eligible.stream().findFirst());
    if (chosen.isEmpty()) {
      return new Selection(Optional.empty(), ranked, false, "no target is ready");
    }
    Ranked active = chosen.get();
    boolean preferred = first.isPresent() && first.get() == active;
    String why =
        "serving through "
            + active.candidate().name()
            + " (priority "
            + active.priority()
            + (preferred
                ? ")"
                : "; "
                    + first.map(f -> f.candidate().name()).orElse("the first choice")
                    + " is "
                    + describe(first.get().candidate())
                    + ")");
    return new Selection(Optional.of(active.candidate().name()), ranked, preferred, why);
  }

  static List<Ranked> rank(Optional<RoutingPolicySpec> policy, List<Candidate> targets) {
    List<Ranked> ranked = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      Candidate c = targets.get(i);
      if (policy.isEmpty()) {
        ranked.add(new Ranked(c, i + 1, 1, true));
        continue;
      }
      Optional<Ranked> entry = entryFor(policy.get(), c);
      ranked.add(entry.orElse(new Ranked(c, Integer.MAX_VALUE, 0, false)));
    }
    // A stable sort: targets of equal priority (one provider entry) keep the endpoint's order.
    ranked.sort(Comparator.comparingInt(Ranked::priority));
    return List.copyOf(ranked);
  }

  private static Optional<Ranked> entryFor(RoutingPolicySpec spec, Candidate c) {
    List<PolicyTarget> entries = spec.getTargets() == null ? List.of() : spec.getTargets();
    Optional<Integer> byName = indexOf(entries, e -> c.name().equals(e.getName()));
    Optional<Integer> at =
        byName.or(
            () ->
                indexOf(entries, e -> e.getProvider() != null && e.getProvider() == c.provider()));
    return at.map(
        j -> {
          PolicyTarget e = entries.get(j);
          int priority = e.getPriority() == null ? j + 1 : e.getPriority();
          int weight =
              spec.getStrategy() == RoutingStrategy.Weighted
                  ? (e.getWeight() == null ? 1 : e.getWeight())
                  : 1;
          return new Ranked(c, priority, weight, true);
        });
  }

  private static Optional<Integer> indexOf(
      List<PolicyTarget> entries, java.util.function.Predicate<PolicyTarget> match) {
    for (int j = 0; j < entries.size(); j++) {
      if (match.test(entries.get(j))) {
        return Optional.of(j);
      }
    }
    return Optional.empty();
  }

  static Set<FailoverTrigger> triggers(Optional<RoutingPolicySpec> policy) {
    FailoverSpec failover = policy.map(RoutingPolicySpec::getFailover).orElse(null);
    if (failover == null || failover.getTriggers() == null) {
      return Set.of(FailoverTrigger.Unhealthy, FailoverTrigger.Throttled, FailoverTrigger.NotReady);
    }
    return Set.copyOf(failover.getTriggers());
  }

  private static boolean avoided(TargetHealth health, Set<FailoverTrigger> triggers) {
    return (health == TargetHealth.Unhealthy && triggers.contains(FailoverTrigger.Unhealthy))
        || (health == TargetHealth.Throttled && triggers.contains(FailoverTrigger.Throttled));
  }

  private static String describe(Candidate c) {
    if (c.state() != TargetState.Ready) {
      return "not ready (" + c.state() + ")";
    }
    return c.health() == null ? "unknown" : c.health().name().toLowerCase(java.util.Locale.ROOT);
  }
}
