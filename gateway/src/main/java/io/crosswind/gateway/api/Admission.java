package io.crosswind.gateway.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's memory budget: how many requests may be in flight, in all and per endpoint, and how
 * many bytes of request bodies may be held at once. A request is admitted before its body is read,
 * with its declared length (or the largest body allowed, when it declares none), and holds its
 * share until its answer ends. Beyond a limit it is refused at once, never queued: one team's burst
 * gets 429 from its own endpoint's share, and a gateway that is full answers 503; both say when to
 * come back.
 */
public final class Admission {

  /**
   * @param maxInFlight requests in flight in all
   * @param maxInFlightPerEndpoint requests in flight per endpoint
   * @param maxBufferedBytes bytes of request bodies held at once
   */
  public record Limits(int maxInFlight, int maxInFlightPerEndpoint, long maxBufferedBytes) {}

  /** Why a request was refused: the status, the OpenAI error code and a sentence. */
  public record Refusal(int status, String code, String message) {}

  private final Limits limits;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  private final Map<String, AtomicInteger> perEndpoint = new ConcurrentHashMap<>();

  public Admission(Limits limits) {
    this.limits = limits;
  }

  /**
   * Admits a request of {@code bodyBytes} to {@code endpoint}, or says why not. An admitted request
   * must be {@link #release}d with the same figures once its answer ends.
   */
  public Refusal admit(String endpoint, long bodyBytes) {
    AtomicInteger mine = perEndpoint.computeIfAbsent(endpoint, e -> new AtomicInteger());
    if (mine.incrementAndGet() > limits.maxInFlightPerEndpoint()) {
      mine.decrementAndGet();
      return new Refusal(
          429,
          "endpoint_concurrency_exceeded",
          "Endpoint "
              + endpoint
              + " has "
              + limits.maxInFlightPerEndpoint()
              + " requests in flight, as many as this gateway replica serves for one endpoint;"
              + " retry after the time in Retry-After.");
    }
    if (inFlight.incrementAndGet() > limits.maxInFlight()) {
      inFlight.decrementAndGet();
      mine.decrementAndGet();
      return full("requests in flight");
    }
    if (bytes.addAndGet(bodyBytes) > limits.maxBufferedBytes()) {
      bytes.addAndGet(-bodyBytes);
      inFlight.decrementAndGet();
      mine.decrementAndGet();
      return full("bytes of request bodies");
    }
    return null;
  }

  private Refusal full(String what) {
    return new Refusal(
        503,
        "gateway_overloaded",
        "This gateway replica holds as many "
            + what
            + " as its memory budget allows; retry after the time in Retry-After.");
  }

  public void release(String endpoint, long bodyBytes) {
    bytes.addAndGet(-bodyBytes);
    inFlight.decrementAndGet();
    AtomicInteger mine = perEndpoint.get(endpoint);
    if (mine != null) {
      mine.decrementAndGet();
    }
  }

  /** Bytes of request bodies held now. */
  public long bufferedBytes() {
    return bytes.get();
  }

  public Limits limits() {
    return limits;
  }
}
