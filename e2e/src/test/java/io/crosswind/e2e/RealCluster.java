package io.crosswind.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension that starts one {@link ControlPlane} for the whole test run and stops it when the
 * run ends, also when tests fail (JUnit closes what the root store holds; a JVM shutdown hook
 * covers an aborted run).
 */
public final class RealCluster implements BeforeAllCallback {

  private static volatile ControlPlane plane;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    controlPlane(context);
  }

  static synchronized ControlPlane controlPlane(ExtensionContext context) throws Exception {
    if (plane == null) {
      ControlPlane started = ControlPlane.start(repositoryRoot(), cacheDir());
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "control-plane-stop"));
      context
          .getRoot()
          .getStore(ExtensionContext.Namespace.GLOBAL)
          .put(ControlPlane.class, (AutoCloseable) started);
      plane = started;
    }
    return plane;
  }

  /** The control plane of this run; call only from tests that use this extension. */
  public static ControlPlane get() {
    if (plane == null) {
      throw new IllegalStateException(
          "annotate the test class with @ExtendWith(RealCluster.class)");
    }
    return plane;
  }

  static Path repositoryRoot() {
    return ControlPlane.repositoryRoot();
  }

  static Path cacheDir() {
    return ControlPlane.cacheDir();
  }
}
