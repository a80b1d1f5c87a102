package io.crosswind.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Whether CRDs still accept what the CRDs of a release accepted, so that resources written against
 * the release keep validating and keep their fields: every CRD file and served version is still
 * there, and along each version's schema no property is removed, no type changed, no property newly
 * required, no enum value removed and no preservation of unknown fields dropped. Additions
 * (optional properties, enum values, versions, descriptions) and CEL rules are not judged.
 */
final class CrdCompatibility {

  private static final YAMLMapper YAML = new YAMLMapper();

  /** A release folder: v and three numbers, such as v0.10.0. */
  private static final Pattern RELEASE = Pattern.compile("v(\\d+)\\.(\\d+)\\.(\\d+)");

  private static final Comparator<Path> BY_VERSION =
      Comparator.comparingInt((Path p) -> versionPart(p, 1))
          .thenComparingInt(p -> versionPart(p, 2))
          .thenComparingInt(p -> versionPart(p, 3));

  private CrdCompatibility() {}

  /** Each change from the CRDs in {@code released} to those in {@code current} that breaks. */
  static List<String> breakingChanges(Path released, Path current) {
    List<String> breaks = new ArrayList<>();
    for (String name : yamlFiles(released)) {
      Path now = current.resolve(name);
      if (!Files.exists(now)) {
        breaks.add(name + " was removed");
        continue;
      }
      Map<String, JsonNode> releasedVersions = versions(read(released.resolve(name)));
      Map<String, JsonNode> currentVersions = versions(read(now));
      for (Map.Entry<String, JsonNode> version : releasedVersions.entrySet()) {
        JsonNode before = version.getValue();
        if (!before.path("served").asBoolean(false)) {
          continue; // never part of the API users could write to
        }
        String where = name + " " + version.getKey();
        JsonNode after = currentVersions.get(version.getKey());
        if (after == null) {
          breaks.add(where + " was removed");
        } else if (!after.path("served").asBoolean(false)) {
          breaks.add(where + " is no longer served");
        } else {
          compare(where + ": ", "", schema(before), schema(after), breaks);
        }
      }
    }
    return breaks;
  }

  /** The folder under {@code releasesDir} of the highest release version, such as v0.10.0. */
  static Path newestRelease(Path releasesDir) {
    List<Path> folders;
    try (Stream<Path> entries = Files.list(releasesDir)) {
      folders = entries.filter(Files::isDirectory).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path folder : folders) {
      if (!RELEASE.matcher(folder.getFileName().toString()).matches()) {
        throw new IllegalStateException(
            folder + " is not named after a release version such as v0.1.0");
      }
    }
    return folders.stream()
        .max(BY_VERSION)
        .orElseThrow(
            () -> new IllegalStateException("no release folder such as v0.1.0 in " + releasesDir));
  }

  private static void compare(
      String where, String path, JsonNode before, JsonNode after, List<String> breaks) {
    if (!before.isObject()) {
      return;
    }
    String shown = path.isEmpty() ? "." : path;
    if (!after.isObject()) {
      breaks.add(where + shown + " was removed");
      return;
    }
    String typeBefore = before.path("type").textValue();
    String typeAfter = after.path("type").textValue();
    if (typeBefore != null && !typeBefore.equals(typeAfter)) {
      breaks.add(
          where
              + shown
              + " changed type from "
              + typeBefore
              + " to "
              + (typeAfter == null ? "no type" : typeAfter));
      return;
    }
    if (before.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
        && !after.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      breaks.add(where + shown + " no longer preserves unknown fields");
    }
    if (before.path("enum").isArray() && after.path("enum").isArray()) {
      Set<JsonNode> allowed = new LinkedHashSet<>();
      after.path("enum").forEach(allowed::add);
      for (JsonNode value : before.path("enum")) {
        if (!allowed.contains(value)) {
          breaks.add(where + shown + " no longer allows " + value);
        }
      }
    }
    Set<String> requiredBefore = texts(before.path("required"));
    for (String field : texts(after.path("required"))) {
      if (!requiredBefore.contains(field)) {
        breaks.add(where + path + "." + field + " is now required");
      }
    }
    for (Map.Entry<String, JsonNode> property : before.path("properties").properties()) {
      compare(
          where,
          path + "." + property.getKey(),
          property.getValue(),
          after.path("properties").path(property.getKey()),
          breaks);
    }
    compare(where, path + "[]", before.path("items"), after.path("items"), breaks);
    compare(
        where,
        path + ".*",
        before.path("additionalProperties"),
        after.path("additionalProperties"),
        breaks);
  }

  private static Map<String, JsonNode> versions(JsonNode crd) {
    Map<String, JsonNode> versions = new LinkedHashMap<>();
    for (JsonNode version : crd.path("spec").path("versions")) {
      versions.put(version.path("name").asText(), version);
    }
    return versions;
  }

  private static JsonNode schema(JsonNode version) {
    return version.path("schema").path("openAPIV3Schema");
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> texts = new LinkedHashSet<>();
    for (JsonNode element : array) {
      texts.add(element.asText());
    }
    return texts;
  }

  private static int versionPart(Path release, int group) {
    Matcher matcher = RELEASE.matcher(release.getFileName().toString());
    if (!matcher.matches()) {
      throw new IllegalStateException(release + " is not named like v0.1.0");
    }
    return Integer.parseInt(matcher.group(group));
  }

  private static Set<String> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
