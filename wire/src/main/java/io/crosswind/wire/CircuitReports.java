package io.crosswind.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;

/** Writes and reads {@code circuits.json}. */
public final class CircuitReports {

  private CircuitReports() {}

  public static String write(CircuitReport report) {
    try {
      return Wire.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a circuit report could not be written as JSON", e);
    }
  }

  /**
   * The report in this text; entries without an endpoint of the form {@code namespace/name}, a
   * target or an {@code openUntil} are left out.
   *
   * @throws IllegalArgumentException when it is not a circuit report of a format this reader knows
   */
  public static CircuitReport read(String json) {
    CircuitReport report;
    try {
      report = Wire.JSON.readValue(json, CircuitReport.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not a circuit report (" + e.getClass().getSimpleName() + ")");
    }
    if (report == null) {
      throw new IllegalArgumentException("not a circuit report (empty)");
    }
    // Reports from before the format had a version carry none.
    if (report.format() != 0 && report.format() != CircuitReport.FORMAT) {
      throw new IllegalArgumentException(
          "circuit report format " + report.format() + " is not " + CircuitReport.FORMAT);
    }
    return CircuitReport.of(
        report.circuits().stream()
            .filter(
                c ->
                    c != null
                        && c.endpoint() != null
                        && c.endpoint().split("/", -1).length == 2
                        && c.target() != null
                        && c.openUntil() != null)
            .toList());
  }
}
