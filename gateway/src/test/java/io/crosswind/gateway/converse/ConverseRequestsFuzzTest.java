package io.crosswind.gateway.converse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.crosswind.gateway.fuzz.JsonArbitraries;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a client sends, translating it for Converse either succeeds or is the caller's mistake
 * ({@link ConverseRequests.Unsupported}, a 400): never another exception, which would be a 500 from
 * the gateway itself or, on a later attempt, a request left waiting. Generated requests are drawn
 * from the vocabulary of Chat Completions so that they reach deep into the translator; the corpus
 * in {@code fuzz/converse-requests} keeps every input that once broke it.
 */
class ConverseRequestsFuzzTest {

  static final List<String> KEYS =
      List.of(
          "model",
          "messages",
          "role",
          "content",
          "tool_calls",
          "function",
          "name",
          "arguments",
          "id",
          "type",
          "text",
          "image_url",
          "url",
          "tools",
          "tool_choice",
          "parameters",
          "max_tokens",
          "max_completion_tokens",
          "temperature",
          "top_p",
          "stop",
          "n",
          "tool_call_id",
          "stream",
          "stream_options",
          "include_usage",
          "description");

  static final List<String> WORDS =
      List.of(
          "user",
          "assistant",
          "system",
          "developer",
          "tool",
          "function",
          "text",
          "image_url",
          "auto",
          "none",
          "required",
          "data:image/png;base64,iVBORw0KGgo=",
          "data:image/gif;base64,",
          "{}",
          "{\"a\":1}",
          "[",
          "",
          "x");

  static final JsonArbitraries JSON = new JsonArbitraries(KEYS, WORDS);

  /** A request whose messages are objects of the vocabulary, often close to a valid one. */
  @Provide
  Arbitrary<JsonObject> requests() {
    Arbitrary<JsonObject> message =
        JSON.object(2)
            .flatMap(
                o ->
                    Arbitraries.of("user", "assistant", "system", "tool", "developer")
                        .map(role -> o.copy().put("role", role)));
    return Arbitraries.oneOf(
        JSON.object(4),
        Arbitraries.oneOf(message.map(m -> (Object) m), JSON.value(2))
            .list()
            .ofMinSize(1)
            .ofMaxSize(4)
            .flatMap(
                messages ->
                    JSON.object(2).map(o -> o.copy().put("messages", new JsonArray(messages)))));
  }

  static void translatesOrRefuses(JsonObject request) {
    Throwable thrown = catchThrowable(() -> ConverseRequests.translate(request));
    if (thrown != null) {
      assertThat(thrown).as(request.encode()).isInstanceOf(ConverseRequests.Unsupported.class);
    }
  }

  @Property(tries = 1000)
  void anyRequestTranslatesOrIsTheCallersMistake(@ForAll("requests") JsonObject request) {
    translatesOrRefuses(request);
  }

  @Example
  void everyInputOfTheCorpusTranslatesOrIsTheCallersMistake() throws IOException {
    Path corpus = Path.of("src/test/resources/fuzz/converse-requests");
    List<Path> inputs;
    try (Stream<Path> files = Files.list(corpus)) {
      inputs = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(inputs).hasSizeGreaterThanOrEqualTo(10);
    for (Path input : inputs) {
      translatesOrRefuses(new JsonObject(Files.readString(input)));
    }
  }

  @Example
  void aNullMessageIsNamedInTheRefusal() {
    Throwable thrown =
        catchThrowable(() -> ConverseRequests.translate(new JsonObject("{\"messages\":[null]}")));
    assertThat(thrown).isInstanceOf(ConverseRequests.Unsupported.class);
    assertThat(((ConverseRequests.Unsupported) thrown).param()).isEqualTo("messages[0]");
  }
}
