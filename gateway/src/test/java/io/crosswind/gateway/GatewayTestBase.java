package io.crosswind.gateway;

import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.SimulatorsExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulators for one test class (long-running operations instant), a directory for its route
 * tables, and the gateway a subclass starts in its {@code @BeforeAll}, stopped after the class.
 */
abstract class GatewayTestBase {

  static final String MODEL = "gpt-4o";

  @RegisterExtension
  static SimulatorsExtension clouds =
      SimulatorsExtension.with(Simulators.Options.defaults().withOperationTime(Duration.ZERO));

  @TempDir static Path dir;
  static Simulators sim;
  static RunningGateway gw;

  /** Starts the gateway with these flags on top of the test defaults. */
  static void startGateway(String... flags) {
    sim = clouds.get();
    gw = RunningGateway.start(sim, dir, flags);
  }

  @AfterAll
  static void stopGateway() {
    if (gw != null) {
      gw.close();
      gw = null;
    }
  }
}
