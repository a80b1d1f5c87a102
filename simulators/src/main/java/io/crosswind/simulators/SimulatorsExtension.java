package io.crosswind.simulators;

import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: starts the simulators on free loopback ports before a test class, clears
 * faults and call counters before each test, stops them after the class, and hands {@link
 * Simulators} to test methods that ask for it.
 *
 * <pre>{@code
 * @RegisterExtension
 * static SimulatorsExtension clouds = SimulatorsExtension.withResourceGroups("rg-ai");
 *
 * @Test
 * void something() { var arm = clouds.get().armEndpoint(); ... }
 * }</pre>
 */
public final class SimulatorsExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {

  private final Simulators.Options options;
  private Simulators simulators;

  private SimulatorsExtension(Simulators.Options options) {
    this.options = options;
  }

  public static SimulatorsExtension withDefaults() {
    return new SimulatorsExtension(Simulators.Options.defaults());
  }

  public static SimulatorsExtension withResourceGroups(String... groups) {
    return new SimulatorsExtension(
        Simulators.Options.defaults().withResourceGroups(Set.of(groups)));
  }

  public static SimulatorsExtension with(Simulators.Options options) {
    return new SimulatorsExtension(options);
  }

  /** The running simulators. */
  public Simulators get() {
    if (simulators == null) {
      throw new IllegalStateException("the simulators start before the first test of the class");
    }
    return simulators;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    simulators = Simulators.start(options);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    simulators.reset();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (simulators != null) {
      simulators.close();
      simulators = null;
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Simulators.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return get();
  }
}
