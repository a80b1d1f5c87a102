package io.crosswind.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.crosswind.api.v1alpha1.ModelEndpoint;
import io.crosswind.api.v1alpha1.RoutingPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads the YAML files under {@code examples/} the way a user's kubectl would send them. */
public final class Examples {

  /** Fails on any field the API classes do not know, so a typo in an example fails the build. */
  public static final ObjectMapper STRICT =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "ModelEndpoint",
          ModelEndpoint.class,
          "RoutingPolicy",
          RoutingPolicy.class,
          "CloudGrant",
          io.crosswind.api.v1alpha1.CloudGrant.class);

  private Examples() {}

  public static List<Path> files() {
    try (Stream<Path> files = Files.list(Paths.examples())) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The documents of one file, as JSON trees in file order. */
  public static List<JsonNode> documents(Path file) {
    try (var parser = new YAMLFactory().createParser(file.toFile())) {
      List<JsonNode> docs = new ArrayList<>();
      new YAMLMapper().readValues(parser, JsonNode.class).forEachRemaining(docs::add);
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static HasMetadata parse(JsonNode document) {
    String kind = document.path("kind").asText();
    Class<? extends HasMetadata> type = KINDS.get(kind);
    if (type == null) {
      throw new IllegalArgumentException("examples hold only crosswind.io kinds, not " + kind);
    }
    try {
      return STRICT.treeToValue(document, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<HasMetadata> all() {
    return files().stream().flatMap(f -> documents(f).stream()).map(Examples::parse).toList();
  }
}
