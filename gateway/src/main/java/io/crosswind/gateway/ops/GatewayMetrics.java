package io.crosswind.gateway.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The gateway's metrics, each per endpoint ({@code namespace/name}) and, where one took part, per
 * target. docs/gateway.md lists them with their Prometheus names.
 */
public final class GatewayMetrics {

  /** The endpoint tag of a request no endpoint's key opened. */
  public static final String UNKNOWN = "unknown";

  /** The target tag of a request no target served. */
  public static final String NONE = "none";

  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
    Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)
  };

  private final MeterRegistry registry;

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** A request answered: its status, the target that served it (or none), and how long it took. */
  public void request(
      String endpoint, String operation, String target, int status, boolean stream, long nanos) {
    Tags tags =
        Tags.of(
            "endpoint", endpoint, "operation", operation, "target", target, "stream", stream + "");
    Counter.builder("crosswind.gateway.requests")
        .description("Requests answered, by status")
        .tags(tags.and("status", Integer.toString(status)))
        .register(registry)
        .increment();
    Timer.builder("crosswind.gateway.request.duration")
        .description("From the request's arrival to the last byte of the answer")
        .tags(tags)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry)
        .record(Duration.ofNanos(nanos));
  }

  /** One active check of an open circuit's upstream: {@code recovered} or {@code failing}. */
  public void check(String result) {
    Counter.builder("crosswind.gateway.circuit.checks")
        .description(
            "Active checks of upstreams whose circuits are open (one per upstream, however many"
                + " endpoints share it), by result")
        .tags("result", result)
        .register(registry)
        .increment();
  }

  /** A request the gateway refused or could not serve, by OpenAI error code. */
  public void error(String endpoint, String code) {
    Counter.builder("crosswind.gateway.errors")
        .description("Requests answered with an error, by error code")
        .tags("endpoint", endpoint, "code", code)
        .register(registry)
        .increment();
  }

  /**
   * One attempt at a target: {@code ok}, {@code status_<code>}, {@code refused}, {@code timeout} or
   * {@code connection_error}; with the time to the answer's headers when there was one.
   */
  public void attempt(String endpoint, String target, String outcome, long firstByteNanos) {
    Counter.builder("crosswind.gateway.upstream.attempts")
        .description("Attempts at upstream targets, by outcome")
        .tags("endpoint", endpoint, "target", target, "outcome", outcome)
        .register(registry)
        .increment();
    if (firstByteNanos >= 0) {
      Timer.builder("crosswind.gateway.upstream.first.byte")
          .description("From sending to an upstream to its answer's headers")
          .tags("endpoint", endpoint, "target", target)
          .serviceLevelObjectives(LATENCY_BUCKETS)
          .register(registry)
          .record(Duration.ofNanos(firstByteNanos));
    }
  }

  /** Tokens from the usage an upstream reported. */
  public void tokens(String endpoint, String target, long prompt, long completion) {
    Counter.builder("crosswind.gateway.tokens")
        .description("Tokens from the usage upstreams report")
        .tags("endpoint", endpoint, "target", target, "kind", "prompt")
        .register(registry)
        .increment(prompt);
    Counter.builder("crosswind.gateway.tokens")
        .description("Tokens from the usage upstreams report")
        .tags("endpoint", endpoint, "target", target, "kind", "completion")
        .register(registry)
        .increment(completion);
  }

  /** 1 while the target's circuit is open (the gateway skips it), else 0. */
  public void circuit(String endpoint, String target, BooleanSupplier open) {
    Gauge.builder("crosswind.gateway.circuit.open", () -> open.getAsBoolean() ? 1 : 0)
        .description("1 while the gateway skips the target after repeated failures")
        .tags("endpoint", endpoint, "target", target)
        .register(registry);
  }

  /** The memory budget: what it allows and what is held of it now. */
  public void budget(io.crosswind.gateway.api.Admission admission) {
    Gauge.builder("crosswind.gateway.budget.buffered.bytes", admission::bufferedBytes)
        .description("Bytes of request bodies held now, of --max-buffered-bytes")
        .register(registry);
    Gauge.builder(
            "crosswind.gateway.budget.limit.bytes", () -> admission.limits().maxBufferedBytes())
        .description("--max-buffered-bytes: bytes of request bodies held at most")
        .register(registry);
    Gauge.builder(
            "crosswind.gateway.budget.limit.in.flight", () -> admission.limits().maxInFlight())
        .description("--max-in-flight: requests in flight at most")
        .register(registry);
  }

  public void gauges(IntSupplier inFlight, IntSupplier endpoints) {
    Gauge.builder("crosswind.gateway.in.flight", inFlight::getAsInt)
        .description("Requests being served")
        .register(registry);
    Gauge.builder("crosswind.gateway.endpoints", endpoints::getAsInt)
        .description("Endpoints served from the route tables")
        .register(registry);
  }
}
