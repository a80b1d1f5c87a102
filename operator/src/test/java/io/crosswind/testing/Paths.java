package io.crosswind.testing;

import java.nio.file.Path;

/** Where the build puts what the tests read; set by the surefire configuration. */
public final class Paths {
  private Paths() {}

  public static Path generatedCrds() {
    return property("crosswind.crds.generated");
  }

  public static Path committedCrds() {
    return property("crosswind.crds.committed");
  }

  public static Path examples() {
    return property("crosswind.examples");
  }

  public static Path repositoryRoot() {
    return committedCrds().getParent();
  }

  /** One folder of CRDs per released version, such as v0.1.0: the API the releases shipped. */
  public static Path releasedCrds() {
    return repositoryRoot().resolve("operator/src/test/resources/crds-released");
  }

  private static Path property(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException(name + " is not set: run the tests through Maven");
    }
    return Path.of(value).toAbsolutePath().normalize();
  }
}
