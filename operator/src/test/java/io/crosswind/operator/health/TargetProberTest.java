package io.crosswind.operator.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.api.v1alpha1.Provider;
import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.operator.cloud.Credential;
import io.crosswind.operator.cloud.ProbeResult;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.cloud.TargetProvider;
import io.crosswind.operator.cloud.TargetRequest;
import io.crosswind.operator.cloud.Upstream;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The prober's thresholds and its "tell only on change" rule, with a scripted data plane. */
class TargetProberTest {

  static final ResourceID CHAT = new ResourceID("chat", "payments");
  static final TargetProber.Key KEY = new TargetProber.Key(CHAT, "azure");
  static final Upstream UPSTREAM =
      new Upstream(Upstream.Api.OPENAI, "https://example.invalid/openai/v1", "d", "eastus2");
  static final Credential KEY1 =
      new Credential(
          "key1", "v", Credential.Scheme.API_KEY_HEADER, Instant.EPOCH, null, null, null);

  /** Answers the scripted healths in order, then the last one forever. */
  static final class ScriptedDataPlane implements TargetProvider {
    final List<TargetHealth> script;
    final AtomicInteger probes = new AtomicInteger();

    ScriptedDataPlane(TargetHealth... script) {
      this.script = List.of(script);
    }

    @Override
    public Provider provider() {
      return Provider.AzureOpenAI;
    }

    @Override
    public TargetObservation reconcile(TargetRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public TargetObservation delete(TargetRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ProbeResult probe(Upstream upstream, Credential credential, Duration timeout) {
      int n = probes.getAndIncrement();
      TargetHealth h = script.get(Math.min(n, script.size() - 1));
      return new ProbeResult(
          h, h == TargetHealth.Healthy ? 200 : 503, Duration.ZERO, "", Instant.now());
    }
  }

  final List<ResourceID> told = new CopyOnWriteArrayList<>();
  final TargetProber prober = new TargetProber(Clock.systemUTC(), told::add);

  @AfterEach
  void stop() {
    prober.close();
  }

  static TargetProber.Settings every10ms(int failures, int successes) {
    return new TargetProber.Settings(
        Duration.ofMillis(10), Duration.ofSeconds(1), failures, successes);
  }

  @Test
  void theFirstProbeDecidesThenOnlyThresholdsMoveHealthAndOnlyChangesAreTold() {
    ScriptedDataPlane plane =
        new ScriptedDataPlane(
            TargetHealth.Healthy,
            TargetHealth.Unhealthy,
            TargetHealth.Unhealthy,
            TargetHealth.Healthy, // a blip: two failures are below the threshold of three
            TargetHealth.Unhealthy,
            TargetHealth.Unhealthy,
            TargetHealth.Unhealthy, // the third in a row: Unhealthy
            TargetHealth.Healthy,
            TargetHealth.Unhealthy, // one success is below the threshold of two
            TargetHealth.Healthy,
            TargetHealth.Healthy); // two in a row: Healthy, and stays

    prober.track(KEY, plane, UPSTREAM, KEY1, every10ms(3, 2));

    await().until(() -> plane.probes.get() > 14);
    assertThat(prober.view(KEY).orElseThrow().health()).isEqualTo(TargetHealth.Healthy);
    // Unknown -> Healthy, Healthy -> Unhealthy, Unhealthy -> Healthy: three changes, three calls.
    assertThat(told).containsExactly(CHAT, CHAT, CHAT);
  }

  @Test
  void throttledIsToldApartFromUnhealthy() {
    ScriptedDataPlane plane = new ScriptedDataPlane(TargetHealth.Throttled);

    prober.track(KEY, plane, UPSTREAM, KEY1, every10ms(3, 2));

    await().until(() -> prober.view(KEY).orElseThrow().health() == TargetHealth.Throttled);
  }

  @Test
  void trackingTheSameTargetAgainChangesNothingAndANewCredentialKeepsItsHealth() {
    ScriptedDataPlane plane = new ScriptedDataPlane(TargetHealth.Healthy);
    prober.track(KEY, plane, UPSTREAM, KEY1, every10ms(3, 2));
    await().until(() -> prober.view(KEY).orElseThrow().health() == TargetHealth.Healthy);

    prober.track(KEY, plane, UPSTREAM, KEY1, every10ms(3, 2));
    prober.track(
        KEY,
        plane,
        UPSTREAM,
        new Credential(
            "key2", "w", Credential.Scheme.API_KEY_HEADER, Instant.EPOCH, null, null, null),
        every10ms(3, 2));

    assertThat(prober.view(KEY).orElseThrow().health()).isEqualTo(TargetHealth.Healthy);
    await().during(Duration.ofMillis(100)).until(() -> told.size() == 1);
  }

  @Test
  void aForgottenEndpointIsNoLongerProbed() {
    ScriptedDataPlane plane = new ScriptedDataPlane(TargetHealth.Healthy);
    prober.track(KEY, plane, UPSTREAM, KEY1, every10ms(3, 2));
    await().until(() -> plane.probes.get() > 2);

    prober.forget(CHAT);
    int after = plane.probes.get();

    await().during(Duration.ofMillis(100)).until(() -> plane.probes.get() <= after + 1);
    assertThat(prober.view(KEY)).isEmpty();
  }

  @Test
  void endpointsOnTheSameUpstreamAndCredentialShareOneProbe() {
    ScriptedDataPlane plane = new ScriptedDataPlane(TargetHealth.Healthy);
    ResourceID other = new ResourceID("chat-2", "payments");
    TargetProber.Key second = new TargetProber.Key(other, "azure");
    Credential republished =
        new Credential(
            "key1", "v", Credential.Scheme.API_KEY_HEADER, Instant.now(), null, null, null);

    prober.track(KEY, plane, UPSTREAM, KEY1, every10ms(3, 2));
    prober.track(second, plane, UPSTREAM, republished, every10ms(3, 2));
    await().until(() -> prober.view(second).orElseThrow().health() == TargetHealth.Healthy);
    int probesBefore = plane.probes.get();
    await().until(() -> plane.probes.get() > probesBefore + 20);

    assertThat(prober.probesRunning()).as("one probe for both endpoints").isEqualTo(1);
    assertThat(told).as("both endpoints told of the change").contains(CHAT, other);

    prober.forget(CHAT);
    assertThat(prober.probesRunning()).as("the other endpoint still takes its answer").isEqualTo(1);
    assertThat(prober.view(second).orElseThrow().health()).isEqualTo(TargetHealth.Healthy);
    prober.forget(other);
    assertThat(prober.probesRunning()).isZero();
  }

  @Test
  void anotherModelOnTheSameUrlIsProbedOnItsOwn() {
    ScriptedDataPlane plane = new ScriptedDataPlane(TargetHealth.Healthy);
    Upstream otherDeployment =
        new Upstream(Upstream.Api.OPENAI, UPSTREAM.baseUrl(), "another", UPSTREAM.region());

    prober.track(KEY, plane, UPSTREAM, KEY1, every10ms(3, 2));
    prober.track(
        new TargetProber.Key(new ResourceID("b", "payments"), "azure"),
        plane,
        otherDeployment,
        KEY1,
        every10ms(3, 2));

    assertThat(prober.probesRunning()).isEqualTo(2);
  }

  @Test
  void anEndpointThisOperatorNoLongerReconcilesCostsNoMoreProbes() {
    ScriptedDataPlane plane = new ScriptedDataPlane(TargetHealth.Healthy);
    java.util.Set<ResourceID> reconciled = java.util.concurrent.ConcurrentHashMap.newKeySet();
    reconciled.add(CHAT);
    prober.reconciledBy(reconciled::contains);
    prober.track(KEY, plane, UPSTREAM, KEY1, every10ms(3, 2));
    await().until(() -> plane.probes.get() > 2);

    reconciled.remove(CHAT); // relabelled into another shard: its informer no longer holds it

    await().until(() -> prober.probesRunning() == 0);
    int after = plane.probes.get();
    await().during(Duration.ofMillis(100)).until(() -> plane.probes.get() == after);
    assertThat(prober.view(KEY)).isEmpty();
  }
}
