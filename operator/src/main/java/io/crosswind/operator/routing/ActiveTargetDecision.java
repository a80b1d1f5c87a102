package io.crosswind.operator.routing;

import io.crosswind.api.v1alpha1.Failback;
import io.crosswind.api.v1alpha1.FailoverSpec;
import io.crosswind.api.v1alpha1.FailoverTrigger;
import io.crosswind.api.v1alpha1.PolicyTarget;
import io.crosswind.api.v1alpha1.Provider;
import io.crosswind.api.v1alpha1.RoutingPolicySpec;
import io.crosswind.api.v1alpha1.RoutingStrategy;
import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.api.v1alpha1.TargetState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which target serves an endpoint now, decided from values only: (policy, each target's state,
 * health and region, the current choice and since when) -> (active target, ranking, why).
 *
 * <ul>
 *   <li>Only a target the policy names (by name or provider), that is Ready and in an allowed
 *       region (an unknown region is not allowed when the policy constrains regions) can serve.
 *   <li>A pin wins while the pinned target can serve at all, healthy or not.
 *   <li>Otherwise the best-ranked target that the policy's triggers do not rule out serves; when
 *       every one is ruled out, the best-ranked one that can serve still does.
 *   <li>Leaving a target that cannot serve or is ruled out happens at once. Moving to a better
 *       target while the current one serves well (failback) waits for the stabilization window
 *       since the last switch, and with {@code failback: Manual} does not happen by itself.
 * </ul>
 */
public final class ActiveTargetDecision {

  static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

  private ActiveTargetDecision() {}

  /** One target as the decision sees it; region null when not known. */
  public record Candidate(
      String name, Provider provider, String region, TargetState state, TargetHealth health) {}

  /** A target with its place in the policy; not selectable when the policy names it nowhere. */
  public record Ranked(Candidate candidate, int priority, int weight, boolean selectable) {}

  /** The current choice: which target serves and since when (null when none does). */
  public record Current(String active, Instant since) {
    public static final Current NONE = new Current(null, null);
  }

  /** Why the active target is what it is; the reconciler turns changes into events. */
  public enum Cause {
    /** No target can serve. */
    NONE,
    /** The best target serves. */
    BEST,
    /** The pin decides. */
    PINNED,
    /** A better target is back, but the stabilization window has not passed since the switch. */
    STABILIZING,
    /** A better target is back, and failback is Manual. */
    MANUAL_FAILBACK
  }

  /**
   * The outcome.
   *
   * @param active the target that serves, empty when none can
   * @param ranked every target, most preferred first
   * @param preferred true when the active target is the first selectable one by priority
   * @param why one sentence on the choice, for the Ready condition and events
   * @param cause the rule that decided
   * @param since when the active target began to serve (now, when it changes)
   * @param revisitAfter when the decision may change by time alone (the window ends)
   */
  public record Selection(
      Optional<String> active,
      List<Ranked> ranked,
      boolean preferred,
      String why,
      Cause cause,
      Instant since,
      Optional<Duration> revisitAfter) {}

  /** As {@link #decide(Optional, List, Current, Instant)} with no current choice. */
  public static Selection decide(Optional<RoutingPolicySpec> policy, List<Candidate> targets) {
    return decide(policy, targets, Current.NONE, Instant.EPOCH);
  }

  public static Selection decide(
      Optional<RoutingPolicySpec> policy, List<Candidate> targets, Current current, Instant now) {
    List<Ranked> ranked = rank(policy, targets);
    List<String> regions = allowedRegions(policy);
    List<Ranked> eligible =
        ranked.stream()
            .filter(Ranked::selectable)
            .filter(r -> r.candidate().state() == TargetState.Ready)
            .filter(r -> allowed(regions, r.candidate().region()))
            .toList();
    Optional<Ranked> first = ranked.stream().filter(Ranked::selectable).findFirst();
    Set<FailoverTrigger> triggers = triggers(policy);

    Optional<Ranked> pinned = pinned(policy, eligible);
    if (pinned.isPresent()) {
      return selection(
          pinned.get(),
          ranked,
          first,
          current,
          now,
          Cause.PINNED,
          "serving through " + pinned.get().candidate().name() + " (pinned by the policy)",
          Optional.empty());
    }
    Optional<Ranked> best =
        eligible.stream()
            .filter(r -> !avoided(r.candidate().health(), triggers))
            .findFirst()
            .or(() -> eligible.stream().findFirst());
    if (best.isEmpty()) {
      return new Selection(
          Optional.empty(),
          ranked,
          false,
          "no target is ready",
          Cause.NONE,
          null,
          Optional.empty());
    }
    Optional<Ranked> stay =
        eligible.stream()
            .filter(r -> r.candidate().name().equals(current.active()))
            .filter(r -> !avoided(r.candidate().health(), triggers))
            .findFirst();
    if (stay.isPresent() && stay.get() != best.get() && ranks(best.get(), stay.get(), ranked)) {
      if (failback(policy) == Failback.Manual) {
        return selection(
            stay.get(),
            ranked,
            first,
            current,
            now,
            Cause.MANUAL_FAILBACK,
            describe(stay.get(), first)
                + "; "
                + best.get().candidate().name()
                + " is back, and failback is Manual: pin it, or edit the policy, to return",
            Optional.empty());
      }
      Duration window = window(policy);
      Instant since = current.since() == null ? now : current.since();
      Duration held = Duration.between(since, now);
      if (held.compareTo(window) < 0) {
        Duration left = window.minus(held);
        return selection(
            stay.get(),
            ranked,
            first,
            current,
            now,
            Cause.STABILIZING,
            describe(stay.get(), first)
                + "; back to "
                + best.get().candidate().name()
                + " once it has been "
                + window.toSeconds()
                + "s on "
                + stay.get().candidate().name()
                + " ("
                + left.toSeconds()
                + "s to go)",
            Optional.of(left));
      }
    }
    if (stay.isPresent() && stay.get() != best.get() && !ranks(best.get(), stay.get(), ranked)) {
      // The current target is at least as good as any other that is not ruled out: stay.
      return selection(
          stay.get(),
          ranked,
          first,
          current,
          now,
          Cause.BEST,
          describe(stay.get(), first),
          Optional.empty());
    }
    return selection(
        best.get(),
        ranked,
        first,
        current,
        now,
        Cause.BEST,
        describe(best.get(), first),
        Optional.empty());
  }

  private static Selection selection(
      Ranked active,
      List<Ranked> ranked,
      Optional<Ranked> first,
      Current current,
      Instant now,
      Cause cause,
      String why,
      Optional<Duration> revisitAfter) {
    String name = active.candidate().name();
    Instant since =
        name.equals(current.active()) && current.since() != null ? current.since() : now;
    boolean preferred = first.isPresent() && first.get() == active;
    return new Selection(Optional.of(name), ranked, preferred, why, cause, since, revisitAfter);
  }

  /** True when {@code a} comes strictly before {@code b} in the ranking. */
  private static boolean ranks(Ranked a, Ranked b, List<Ranked> ranked) {
    return a.priority() < b.priority()
        || (a.priority() == b.priority() && ranked.indexOf(a) < ranked.indexOf(b));
  }

  private static Optional<Ranked> pinned(
      Optional<RoutingPolicySpec> policy, List<Ranked> eligible) {
    String pin = policy.map(RoutingPolicySpec::getPin).filter(p -> !p.isBlank()).orElse(null);
    if (pin == null) {
      return Optional.empty();
    }
    return eligible.stream()
        .filter(
            r -> r.candidate().name().equals(pin) || r.candidate().provider().name().equals(pin))
        .findFirst();
  }

  private static String describe(Ranked active, Optional<Ranked> first) {
    boolean preferred = first.isPresent() && first.get() == active;
    return "serving through "
        + active.candidate().name()
        + " (priority "
        + active.priority()
        + (preferred
            ? ")"
            : "; "
                + first.map(f -> f.candidate().name()).orElse("the first choice")
                + " is "
                + first.map(f -> state(f.candidate())).orElse("not selectable")
                + ")");
  }

  static List<Ranked> rank(Optional<RoutingPolicySpec> policy, List<Candidate> targets) {
    List<Ranked> ranked = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      Candidate c = targets.get(i);
      if (policy.isEmpty()) {
        ranked.add(new Ranked(c, i + 1, 1, true));
        continue;
      }
      ranked.add(entryFor(policy.get(), c).orElse(new Ranked(c, Integer.MAX_VALUE, 0, false)));
    }
    // A stable sort: targets of equal priority (one provider entry) keep the endpoint's order.
    ranked.sort(Comparator.comparingInt(Ranked::priority));
    return List.copyOf(ranked);
  }

  private static Optional<Ranked> entryFor(RoutingPolicySpec spec, Candidate c) {
    List<PolicyTarget> entries = spec.getTargets() == null ? List.of() : spec.getTargets();
    Optional<Integer> at =
        indexOf(entries, e -> c.name().equals(e.getName()))
            .or(
                () ->
                    indexOf(
                        entries, e -> e.getProvider() != null && e.getProvider() == c.provider()));
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

  private static Optional<Integer> indexOf(List<PolicyTarget> entries, Predicate<PolicyTarget> m) {
    for (int j = 0; j < entries.size(); j++) {
      if (m.test(entries.get(j))) {
        return Optional.of(j);
      }
    }
    return Optional.empty();
  }

  static List<String> allowedRegions(Optional<RoutingPolicySpec> policy) {
    return policy
        .map(RoutingPolicySpec::getConstraints)
        .map(c -> c.getRegions() == null ? List.<String>of() : c.getRegions())
        .orElse(List.of());
  }

  /** True when the policy constrains no region, or the region is known and allowed. */
  static boolean allowed(List<String> regions, String region) {
    return regions.isEmpty() || (region != null && regions.contains(region));
  }

  static Set<FailoverTrigger> triggers(Optional<RoutingPolicySpec> policy) {
    FailoverSpec failover = policy.map(RoutingPolicySpec::getFailover).orElse(null);
    if (failover == null || failover.getTriggers() == null) {
      return Set.of(FailoverTrigger.Unhealthy, FailoverTrigger.Throttled, FailoverTrigger.NotReady);
    }
    return Set.copyOf(failover.getTriggers());
  }

  static Failback failback(Optional<RoutingPolicySpec> policy) {
    return policy
        .map(RoutingPolicySpec::getFailover)
        .map(FailoverSpec::getFailback)
        .orElse(Failback.Automatic);
  }

  static Duration window(Optional<RoutingPolicySpec> policy) {
    return policy
        .map(RoutingPolicySpec::getFailover)
        .map(FailoverSpec::getStabilizationWindow)
        .flatMap(GoDuration::parse)
        .orElse(DEFAULT_WINDOW);
  }

  private static boolean avoided(TargetHealth health, Set<FailoverTrigger> triggers) {
    return (health == TargetHealth.Unhealthy && triggers.contains(FailoverTrigger.Unhealthy))
        || (health == TargetHealth.Throttled && triggers.contains(FailoverTrigger.Throttled));
  }

  private static String state(Candidate c) {
    if (c.state() != TargetState.Ready) {
      return "not ready (" + c.state() + ")";
    }
    return c.health() == null ? "unknown" : c.health().name().toLowerCase(Locale.ROOT);
  }
}
