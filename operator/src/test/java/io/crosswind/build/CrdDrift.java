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

/** Compares freshly generated CRDs with the committed ones and names every difference. */
final class CrdDrift {

  private CrdDrift() {}

  static List<String> differences(Path generated, Path committed) {
    Set<String> names = new TreeSet<>();
    names.addAll(yamlFiles(generated));
    names.addAll(yamlFiles(committed));
    List<String> differences = new ArrayList<>();
    for (String name : names) {
      Path fresh = generated.resolve(name);
      Path old = committed.resolve(name);
      if (!Files.exists(old)) {
        differences.add(name + " is generated but not committed");
      } else if (!Files.exists(fresh)) {
        differences.add(name + " is committed but no longer generated");
      } else if (!read(fresh).equals(read(old))) {
        differences.add(name + " differs from what the API classes generate");
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
