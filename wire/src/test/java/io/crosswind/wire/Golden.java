package io.crosswind.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The golden files of the wire contracts: documents of each format version that the operator must
 * write and the gateway must read. They are the contract's examples; a change to one is a change to
 * the contract (docs/route-table.md says what may change within a format). Both modules' tests read
 * them through this class; {@code GoldenFilesTest} fails when a file is not listed here.
 */
public enum Golden {
  /** Gateway mode, Failover: a Bedrock route (OpenAI API, an expiring Bearer key) and Azure. */
  ROUTE_TABLE_GATEWAY_FAILOVER("route-table/v1/gateway-failover.json"),
  /** Direct mode: no key hash, the gateway serves none of it. */
  ROUTE_TABLE_DIRECT("route-table/v1/direct.json"),
  /**
   * Weighted, a Bedrock Converse route, an endpoint key in the overlap after a rotation, and a
   * target being deleted.
   */
  ROUTE_TABLE_WEIGHTED_ROTATING("route-table/v1/weighted-converse-rotating.json"),
  /**
   * What the 0.1.0 operator wrote for {@link #ROUTE_TABLE_GATEWAY_FAILOVER}: its bookkeeping inside
   * the table. A gateway must serve it alike during a rolling upgrade, and the operator must read
   * its bookkeeping back from it.
   */
  ROUTE_TABLE_WRITTEN_BY_0_1_0("route-table/v1/written-by-0.1.0.json"),
  /** Two circuits open in one replica, one for failures, one for a Retry-After. */
  CIRCUIT_REPORT_OPEN("circuit-report/v1/open-circuits.json"),
  /** A replica with no circuit open. */
  CIRCUIT_REPORT_EMPTY("circuit-report/v1/empty.json"),
  /** What the 0.1.0 gateway wrote for {@link #CIRCUIT_REPORT_OPEN}: no format field. */
  CIRCUIT_REPORT_WRITTEN_BY_0_1_0("circuit-report/v1/written-by-0.1.0.json");

  /** The endpoint key whose hash the golden route tables keep. */
  public static final String ENDPOINT_KEY = "cw-golden-endpoint-key";

  /** The key the golden rotating table replaced, still accepted until its overlap ends. */
  public static final String PREVIOUS_ENDPOINT_KEY = "cw-golden-previous-endpoint-key";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String path;

  Golden(String path) {
    this.path = path;
  }

  /** Its path under {@code golden/} in the test resources. */
  public String path() {
    return path;
  }

  public String text() {
    try (InputStream in = Golden.class.getResourceAsStream("golden/" + path)) {
      if (in == null) {
        throw new IllegalStateException("no golden file " + path + " on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public byte[] bytes() {
    return text().getBytes(StandardCharsets.UTF_8);
  }

  /** Its JSON tree, to compare with what a writer produced whatever the layout. */
  public JsonNode tree() {
    return tree(text());
  }

  public static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON", e);
    }
  }
}
