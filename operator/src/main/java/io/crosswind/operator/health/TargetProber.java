package io.crosswind.operator.health;

import io.crosswind.api.v1alpha1.TargetHealth;
import io.crosswind.operator.cloud.Credential;
import io.crosswind.operator.cloud.ProbeResult;
import io.crosswind.operator.cloud.TargetProvider;
import io.crosswind.operator.cloud.Upstream;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every ready target's data plane on its interval, off the reconcile threads, and tells the
 * endpoint when a target's health changes (and only then). Health moves to Unhealthy or Throttled
 * after {@code failureThreshold} failed probes in a row and back to Healthy after {@code
 * successThreshold} good ones; the very first probe of a target decides at once.
 */
public final class TargetProber implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TargetProber.class);

  /** One target of one endpoint. */
  public record Key(ResourceID endpoint, String target) {}

  /** How a target is probed. */
  public record Settings(
      Duration interval, Duration timeout, int failureThreshold, int successThreshold) {}

  /**
   * What the probes of one target say now.
   *
   * @param health the health routing uses
   * @param last the latest probe
   * @param changedAt when {@link #health} last changed
   * @param failuresInARow failed probes since the last good one
   */
  public record View(
      TargetHealth health, ProbeResult last, Instant changedAt, int failuresInARow) {}

  /**
   * What to probe: the same value means no need to start over, and endpoints whose targets have the
   * same value (the same upstream URL, model, credential and settings) share one probe.
   */
  private record Subject(
      TargetProvider provider,
      Upstream upstream,
      Credential.Scheme scheme,
      String secret,
      Settings settings) {

    static Subject of(
        TargetProvider provider, Upstream upstream, Credential credential, Settings settings) {
      return new Subject(
          provider,
          upstream,
          credential == null ? null : credential.scheme(),
          credential == null ? null : credential.value(),
          settings);
    }

    @Override
    public String toString() {
      return "Subject[" + upstream + ", " + scheme + ", secret hidden]";
    }
  }

  /** One probe, and the targets that take its answer. */
  private static final class Tracked {
    final Subject subject;
    final Credential credential;
    final Set<Key> keys = ConcurrentHashMap.newKeySet();
    volatile View view;
    volatile int successesInARow;
    volatile ScheduledFuture<?> next;
    volatile boolean stopped;

    Tracked(Subject subject, Credential credential, View view) {
      this.subject = subject;
      this.credential = credential;
      this.view = view;
    }
  }

  private final Clock clock;
  private final Consumer<ResourceID> onChange;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("crosswind-probe-timer").daemon().unstarted(r));
  private final ExecutorService probes =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("crosswind-probe-", 0).factory());
  private final Map<Subject, Tracked> bySubject = new ConcurrentHashMap<>();
  private final Map<Key, Subject> subjects = new ConcurrentHashMap<>();
  private volatile java.util.function.Predicate<ResourceID> reconciled = id -> true;

  private final java.util.function.BiConsumer<Key, ProbeResult> onProbe;

  public TargetProber(Clock clock, Consumer<ResourceID> onChange) {
    this(clock, onChange, (key, result) -> {});
  }

  /**
   * @param onChange told the endpoint whose target changed health
   * @param onProbe told every probe result, for metrics, once for each target that shares it
   */
  public TargetProber(
      Clock clock,
      Consumer<ResourceID> onChange,
      java.util.function.BiConsumer<Key, ProbeResult> onProbe) {
    this.clock = clock;
    this.onChange = onChange;
    this.onProbe = onProbe;
  }

  /**
   * Probes the target from now on; a call with the same upstream, credential and settings changes
   * nothing, a new credential keeps the health known so far. Targets of any endpoints with the same
   * upstream, credential and settings share one probe: its request is sent once, whatever their
   * number.
   */
  public synchronized void track(
      Key key,
      TargetProvider provider,
      Upstream upstream,
      Credential credential,
      Settings settings) {
    Subject subject = Subject.of(provider, upstream, credential, settings);
    Subject before = subjects.get(key);
    if (subject.equals(before)) {
      return;
    }
    Tracked previous = before == null ? null : bySubject.get(before);
    Tracked shared = bySubject.get(subject);
    if (shared == null) {
      View keep =
          previous != null && Objects.equals(previous.subject.upstream(), upstream)
              ? previous.view
              : new View(TargetHealth.Unknown, null, clock.instant(), 0);
      shared = new Tracked(subject, credential, keep);
      bySubject.put(subject, shared);
      shared.keys.add(key);
      schedule(shared, Duration.ZERO);
    } else {
      shared.keys.add(key);
    }
    subjects.put(key, subject);
    unsubscribe(key, previous);
  }

  /** Takes the key off a probe, and stops the probe when no target takes its answer any more. */
  private void unsubscribe(Key key, Tracked t) {
    if (t == null) {
      return;
    }
    t.keys.remove(key);
    if (t.keys.isEmpty()) {
      bySubject.remove(t.subject, t);
      stop(t);
    }
  }

  /**
   * Tells the prober which endpoints this operator still reconciles. Before each probe, targets of
   * endpoints it no longer does (moved to another shard by a label change, or gone without a
   * cleanup) are dropped, so that no probe is paid for them.
   */
  public void reconciledBy(java.util.function.Predicate<ResourceID> reconciled) {
    this.reconciled = Objects.requireNonNull(reconciled);
  }

  /** Stops probing the endpoint's targets that are not in {@code targets}. */
  public synchronized void retain(ResourceID endpoint, Set<String> targets) {
    for (Key key : List.copyOf(subjects.keySet())) {
      if (key.endpoint().equals(endpoint) && !targets.contains(key.target())) {
        Subject subject = subjects.remove(key);
        unsubscribe(key, bySubject.get(subject));
      }
    }
  }

  public void forget(ResourceID endpoint) {
    retain(endpoint, Set.of());
  }

  public Optional<View> view(Key key) {
    Subject subject = subjects.get(key);
    Tracked t = subject == null ? null : bySubject.get(subject);
    return t == null ? Optional.empty() : Optional.of(t.view);
  }

  /** Probes running now: one per distinct upstream, credential and settings. */
  public int probesRunning() {
    return bySubject.size();
  }

  private void schedule(Tracked t, Duration delay) {
    if (t.stopped) {
      return;
    }
    t.next =
        timer.schedule(() -> probes.execute(() -> run(t)), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void run(Tracked t) {
    if (t.stopped) {
      return;
    }
    for (Key key : List.copyOf(t.keys)) {
      if (!reconciled.test(key.endpoint())) {
        forget(key.endpoint());
      }
    }
    if (t.stopped) {
      return;
    }
    Subject s = t.subject;
    ProbeResult result;
    try {
      result = s.provider().probe(s.upstream(), t.credential, s.settings().timeout());
    } catch (RuntimeException e) {
      result =
          new ProbeResult(
              TargetHealth.Unhealthy,
              0,
              Duration.ZERO,
              "The probe failed (" + e.getClass().getSimpleName() + ").",
              clock.instant());
    }
    if (t.stopped) {
      return;
    }
    List<Key> keys = List.copyOf(t.keys);
    for (Key key : keys) {
      onProbe.accept(key, result);
    }
    View before = t.view;
    View after = next(before, result, t, s.settings());
    t.view = after;
    if (after.health() != before.health()) {
      for (Key key : keys) {
        LOG.info(
            "target {}/{} is {} (was {}): {}",
            key.endpoint(),
            key.target(),
            after.health(),
            before.health(),
            result.message());
        onChange.accept(key.endpoint());
      }
    }
    schedule(t, s.settings().interval());
  }

  private View next(View before, ProbeResult result, Tracked t, Settings settings) {
    Instant now = clock.instant();
    if (result.health() == TargetHealth.Healthy) {
      t.successesInARow++;
      boolean flip =
          before.health() != TargetHealth.Healthy
              && (before.health() == TargetHealth.Unknown
                  || t.successesInARow >= settings.successThreshold());
      return new View(
          flip ? TargetHealth.Healthy : before.health(),
          result,
          flip ? now : before.changedAt(),
          0);
    }
    t.successesInARow = 0;
    int failures = before.failuresInARow() + 1;
    boolean flip =
        before.health() != result.health()
            && (before.health() == TargetHealth.Unknown || failures >= settings.failureThreshold());
    return new View(
        flip ? result.health() : before.health(),
        result,
        flip ? now : before.changedAt(),
        failures);
  }

  private static void stop(Tracked t) {
    if (t == null) {
      return;
    }
    t.stopped = true;
    ScheduledFuture<?> next = t.next;
    if (next != null) {
      next.cancel(false);
    }
  }

  @Override
  public void close() {
    bySubject.values().forEach(TargetProber::stop);
    bySubject.clear();
    subjects.clear();
    timer.shutdownNow();
    probes.shutdownNow();
  }
}
