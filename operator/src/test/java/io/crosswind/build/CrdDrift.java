package io.crosswind.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Compares CRD files with the ones they must equal (freshly generated ones with the committed ones,
 * the committed ones with the Helm chart's copy) and names every difference.
 */
final class CrdDrift {

  /** How a difference is put: a file only in the source, only in the copy, or changed. */
  record Wording(String onlyInSource, String onlyInCopy, String differs) {}

  static final Wording GENERATED =
      new Wording(
          "is generated but not committed",
          "is committed but no longer generated",
          "differs from what the API classes generate");

  private CrdDrift() {}

  static List<String> differences(Path generated, Path committed) {
    return differences(generated, committed, GENERATED);
  }

  static List<String> differences(Path generated, Path committed, Wording wording) {
    Set<String> names = new TreeSet<>();
    names.addAll(yamlFiles(generated));
    names.addAll(yamlFiles(committed));
    List<String> differences = new ArrayList<>();
    for (String name : names) {
      Path fresh = generated.resolve(name);
      Path old = committed.resolve(name);
      if (!Files.exists(old)) {
        differences.add(name + " " + wording.onlyInSource());
      } else if (!Files.exists(fresh)) {
        differences.add(name + " " + wording.onlyInCopy());
      } else if (!read(fresh).equals(read(old))) {
        differences.add(name + " " + wording.differs());
      }
    }
    return differences;
  }

  private static Set<String> yamlFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
          .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
