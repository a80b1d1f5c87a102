package io.crosswind.operator.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.api.v1alpha1.Failback;
import io.crosswind.api.v1alpha1.FailoverSpec;
import io.crosswind.api.v1alpha1.FailoverTrigger;
import io.crosswind.api.v1alpha1.PolicyTarget;
import io.crosswind.api.v1alpha1.Provider;
import io.crosswind.api.v1alpha1.RoutingConstraints;
import io.crosswind.api.v1alpha1.RoutingPolicySpec;
import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.operator.routing.ActiveTargetDecision.Candidate;
import io.crosswind.operator.routing.ActiveTargetDecision.Current;
import io.crosswind.operator.routing.ActiveTargetDecision.Selection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The invariants of the routing decision, over generated policies, targets and histories. */
class ActiveTargetDecisionPropertiesTest {

  static final List<String> REGIONS = List.of("us-east-1", "us-west-2", "eastus2", "swedencentral");
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  /** A generated situation: a policy, the endpoint's targets, and a history of health. */
  record World(Optional<RoutingPolicySpec> policy, List<Candidate> targets) {}

  @Provide
  Arbitrary<List<Candidate>> targets() {
    Arbitrary<Candidate> one =
        Combinators.combine(
                Arbitraries.of(Provider.values()),
                Arbitraries.of(REGIONS).injectNull(0.1),
                Arbitraries.of(TargetState.values()),
                Arbitraries.of(TargetHealth.values()))
            .as((p, r, s, h) -> new Candidate("x", p, r, s, h));
    return one.list()
        .ofMinSize(1)
        .ofMaxSize(5)
        .map(
            list -> {
              List<Candidate> named = new ArrayList<>();
              for (int i = 0; i < list.size(); i++) {
                Candidate c = list.get(i);
                named.add(new Candidate("t" + i, c.provider(), c.region(), c.state(), c.health()));
              }
              return named;
            });
  }

  @Provide
  Arbitrary<Optional<RoutingPolicySpec>> policies() {
    Arbitrary<PolicyTarget> entry =
        Combinators.combine(
                Arbitraries.of("t0", "t1", "t2", "t3", "t4").injectNull(0.5),
                Arbitraries.of(Provider.values()),
                Arbitraries.integers().between(1, 5).injectNull(0.3))
            .as(
                (name, provider, priority) -> {
                  PolicyTarget t = new PolicyTarget();
                  if (name != null) {
                    t.setName(name);
                  } else {
                    t.setProvider(provider);
                  }
                  t.setPriority(priority);
                  return t;
                });
    Arbitrary<RoutingPolicySpec> spec =
        Combinators.combine(
                entry.list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.subsetOf(REGIONS),
                Arbitraries.of("", "t0", "t1", "Bedrock", "AzureOpenAI"),
                Arbitraries.subsetOf(FailoverTrigger.values()),
                Arbitraries.of(Failback.values()),
                Arbitraries.of("0s", "30s", "5m"))
            .as(
                (entries, regions, pin, triggers, failback, window) -> {
                  RoutingPolicySpec p = new RoutingPolicySpec();
                  p.setTargets(entries);
                  RoutingConstraints c = new RoutingConstraints();
                  c.setRegions(List.copyOf(regions));
                  p.setConstraints(c);
                  p.setPin(pin);
                  FailoverSpec f = new FailoverSpec();
                  f.setTriggers(List.copyOf(triggers));
                  f.setFailback(failback);
                  f.setStabilizationWindow(window);
                  p.setFailover(f);
                  return p;
                });
    return spec.optional(0.8);
  }

  @Property
  void neverATargetOutsideTheAllowedRegionsOrNotReady(
      @ForAll("policies") Optional<RoutingPolicySpec> policy,
      @ForAll("targets") List<Candidate> targets) {
    Selection s = ActiveTargetDecision.decide(policy, targets);

    s.active()
        .ifPresent(
            name -> {
              Candidate active = byName(targets, name);
              assertThat(active.state()).isEqualTo(TargetState.Ready);
              List<String> allowed = ActiveTargetDecision.allowedRegions(policy);
              if (!allowed.isEmpty()) {
                assertThat(active.region()).isNotNull().isIn(allowed);
              }
            });
  }

  @Property
  void aPinIsAlwaysHonouredWhenThePinnedTargetCanServe(
      @ForAll("policies") Optional<RoutingPolicySpec> policy,
      @ForAll("targets") List<Candidate> targets) {
    Selection s = ActiveTargetDecision.decide(policy, targets);
    String pin = policy.map(RoutingPolicySpec::getPin).orElse("");
    List<Candidate> canServePinned =
        s.ranked().stream()
            .filter(r -> r.selectable() && r.candidate().state() == TargetState.Ready)
            .map(r -> r.candidate())
            .filter(
                c ->
                    ActiveTargetDecision.allowed(
                        ActiveTargetDecision.allowedRegions(policy), c.region()))
            .filter(c -> c.name().equals(pin) || c.provider().name().equals(pin))
            .toList();

    if (!pin.isEmpty() && !canServePinned.isEmpty()) {
      Candidate active = byName(targets, s.active().orElseThrow());
      assertThat(active.name().equals(pin) || active.provider().name().equals(pin)).isTrue();
    }
  }

  @Property
  void theSameInputGivesTheSameDecision(
      @ForAll("policies") Optional<RoutingPolicySpec> policy,
      @ForAll("targets") List<Candidate> targets,
      @ForAll("targets") List<Candidate> current) {
    Current now = new Current(current.get(0).name(), T0);
    Instant at = T0.plusSeconds(90);

    assertThat(ActiveTargetDecision.decide(policy, targets, now, at))
        .isEqualTo(ActiveTargetDecision.decide(policy, targets, now, at));
  }

  @Property(tries = 300)
  void neverTwoSwitchesInsideTheWindowUnlessTheActiveTargetWentDown(
      @ForAll("policies") Optional<RoutingPolicySpec> policy,
      @ForAll("targets") List<Candidate> start,
      @ForAll("histories") List<List<TargetHealth>> history) {
    Duration window = ActiveTargetDecision.window(policy);
    Set<FailoverTrigger> triggers = ActiveTargetDecision.triggers(policy);
    Current current = Current.NONE;
    Instant lastSwitch = null;
    Instant now = T0;
    for (List<TargetHealth> step : history) {
      now = now.plusSeconds(20);
      List<Candidate> targets = new ArrayList<>();
      for (int i = 0; i < start.size(); i++) {
        Candidate c = start.get(i);
        TargetHealth h = i < step.size() ? step.get(i) : c.health();
        targets.add(new Candidate(c.name(), c.provider(), c.region(), c.state(), h));
      }
      Selection s = ActiveTargetDecision.decide(policy, targets, current, now);
      String next = s.active().orElse(null);
      boolean switched = current.active() != null && next != null && !next.equals(current.active());
      if (switched
          && lastSwitch != null
          && Duration.between(lastSwitch, now).compareTo(window) < 0) {
        String before = current.active();
        boolean beforeCanStillServe =
            s.ranked().stream()
                .anyMatch(
                    r ->
                        r.candidate().name().equals(before)
                            && r.selectable()
                            && r.candidate().state() == TargetState.Ready
                            && !(r.candidate().health() == TargetHealth.Unhealthy
                                && triggers.contains(FailoverTrigger.Unhealthy))
                            && !(r.candidate().health() == TargetHealth.Throttled
                                && triggers.contains(FailoverTrigger.Throttled))
                            && ActiveTargetDecision.allowed(
                                ActiveTargetDecision.allowedRegions(policy),
                                r.candidate().region()));
        boolean pinMoved = s.cause() == ActiveTargetDecision.Cause.PINNED;
        assertThat(beforeCanStillServe && !pinMoved)
            .as(
                "switched from %s to %s %s after the last switch",
                before, next, Duration.between(lastSwitch, now))
            .isFalse();
      }
      if (switched || (current.active() == null && next != null)) {
        lastSwitch = now;
      }
      current = next == null ? Current.NONE : new Current(next, s.since());
    }
  }

  @Provide
  Arbitrary<List<List<TargetHealth>>> histories() {
    return Arbitraries.of(
            TargetHealth.Healthy,
            TargetHealth.Healthy,
            TargetHealth.Unhealthy,
            TargetHealth.Throttled)
        .list()
        .ofSize(5)
        .list()
        .ofMinSize(2)
        .ofMaxSize(30);
  }

  private static Candidate byName(List<Candidate> targets, String name) {
    return targets.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }
}
