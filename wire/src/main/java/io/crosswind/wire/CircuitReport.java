package io.crosswind.wire;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * The circuits one gateway replica has open, as it reports them to the operator ({@code
 * circuits.json} in the ConfigMap {@link CircuitReportConfigMap#name}); docs/gateway.md describes
 * it. Format {@value #FORMAT}; a report written before the format had a version reads as format 1.
 *
 * @param format the version of this format
 * @param circuits one entry per open circuit
 */
@JsonPropertyOrder({"format", "circuits"})
public record CircuitReport(int format, List<Circuit> circuits) {

  public static final int FORMAT = 1;

  public CircuitReport {
    circuits = circuits == null ? List.of() : List.copyOf(circuits);
  }

  public static CircuitReport of(List<Circuit> circuits) {
    return new CircuitReport(FORMAT, circuits);
  }

  /** Why a circuit opened. */
  public enum Cause {
    /** Attempts failed in a row. */
    @JsonEnumDefaultValue
    Failures,
    /** The upstream asked for a pause (429 or 503 with Retry-After). */
    RetryAfter
  }

  /**
   * A target's circuit, open in the reporting replica.
   *
   * @param endpoint the endpoint as {@code namespace/name}
   * @param target the target's name
   * @param cause why it opened
   * @param failures attempts that failed in a row
   * @param openUntil when the replica tries the target again; the entry counts until then only, so
   *     a report left behind by a replica that stopped expires by itself
   */
  @JsonPropertyOrder({"endpoint", "target", "cause", "failures", "openUntil"})
  public record Circuit(
      String endpoint, String target, Cause cause, int failures, Instant openUntil) {}
}
