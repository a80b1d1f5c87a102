package io.crosswind.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.crosswind.wire.RouteTable;
import io.crosswind.wire.RouteTable.Route;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client conformance tier: the official OpenAI Python and Node SDKs (pinned in {@code
 * src/test/clients/versions.env}, installed from the registries by {@code install.sh} into a cache
 * outside the repository) as applications, through the gateway, to each kind of upstream: Azure
 * OpenAI, Bedrock's OpenAI-compatible runtime, Bedrock mantle and Bedrock Converse. Each runs chat,
 * streaming with usage, a forced tool and its result turn, a streamed tool call, the model list,
 * the Responses API (create, follow-up, streaming) where the upstream serves it, and checks that
 * each error reaches the SDK as its typed exception.
 */
class ClientConformanceTest extends GatewayTestBase {

  static final Path CLIENTS = Path.of("src/test/clients");
  static Path python;
  static Path node;

  @BeforeAll
  static void start() throws Exception {
    sim = clouds.get();
    TestClouds.AzureDeployment azure = TestClouds.azure(sim, "rg-gw", "gw-clients");
    String key = TestClouds.bedrockKey(sim);
    String runtime = sim.bedrockRuntimeEndpoint(TestClouds.REGION);
    startGateway();
    endpoint("azure", MODEL, Routes.azure("azure", azure, 1, 100));
    endpoint("bedrock", MODEL, Routes.bedrock("bedrock", runtime, TestClouds.GPT_OSS, key, 1, 100));
    endpoint(
        "mantle",
        MODEL,
        Routes.mantle(
            "mantle",
            sim.bedrockMantleEndpoint(TestClouds.REGION),
            TestClouds.GPT_OSS,
            key,
            1,
            100));
    endpoint(
        "converse", "claude", Routes.converse("converse", runtime, TestClouds.SONNET, key, 1, 100));
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.gateway.endpoints().size() == 4);
    List<String> installed =
        run(List.of("bash", CLIENTS.resolve("install.sh").toString()), Map.of());
    python = Path.of(installed.get(installed.size() - 2));
    node = Path.of(installed.get(installed.size() - 1));
    // ES modules resolve 'openai' from the script's own directory.
    Files.copy(
        CLIENTS.resolve("conformance.mjs"),
        node.resolve("conformance.mjs"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  static void endpoint(String name, String model, Route route) {
    gw.routes(
        name + ".json",
        Routes.table(
            "apps",
            name,
            model,
            RouteTable.Strategy.Failover,
            route.target(),
            "cw-" + name,
            route));
  }

  static Stream<Arguments> clients() {
    List<Arguments> all = new ArrayList<>();
    for (String sdk : List.of("python", "node")) {
      all.add(Arguments.of(sdk, "azure", MODEL, true));
      all.add(Arguments.of(sdk, "bedrock", MODEL, true));
      all.add(Arguments.of(sdk, "mantle", MODEL, true));
      all.add(Arguments.of(sdk, "converse", "claude", false));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} SDK to {1}")
  @MethodSource("clients")
  void theOfficialSdkCannotTellTheGatewayFromOpenAi(
      String sdk, String upstream, String model, boolean responses) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("OPENAI_BASE_URL", "http://127.0.0.1:" + gw.gateway.port() + "/v1");
    env.put("OPENAI_API_KEY", "cw-" + upstream);
    env.put("MODEL", model);
    env.put("RESPONSES", responses ? "1" : "0");
    List<String> command =
        sdk.equals("python")
            ? List.of(
                python.resolve("bin/python").toString(),
                CLIENTS.resolve("conformance.py").toString())
            : List.of("node", node.resolve("conformance.mjs").toString());

    List<String> out = run(command, env);
    JsonObject results = new JsonObject(out.get(out.size() - 1));

    List<String> expected =
        new ArrayList<>(
            List.of(
                "chat",
                "chat_stream_usage",
                "forced_tool_and_result",
                "forced_tool_stream",
                "models",
                "error_bad_key",
                "error_bad_request",
                "error_unknown_model"));
    if (responses) {
      expected.addAll(List.of("responses_create_and_follow_up", "responses_stream"));
    }
    assertThat(results.fieldNames()).containsExactlyInAnyOrderElementsOf(expected);
    results.forEach(
        check -> assertThat(check.getValue()).as(sdk + " " + check.getKey()).isEqualTo("ok"));
  }

  /** Runs a command to its end; its standard output's lines. Fails on a non-zero exit. */
  static List<String> run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
    builder.environment().putAll(env);
    Process process = builder.start();
    byte[] err;
    List<String> lines;
    try (var stdout = process.getInputStream();
        var stderr = process.getErrorStream()) {
      var errors = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(stderr));
      lines = new String(stdout.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      err = errors.join();
    }
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue())
        .as(String.join(" ", command) + ": " + new String(err, StandardCharsets.UTF_8))
        .isZero();
    return lines;
  }

  private static byte[] readAll(java.io.InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
