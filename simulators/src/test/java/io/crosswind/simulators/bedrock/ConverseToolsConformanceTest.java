package io.crosswind.simulators.bedrock;

import static io.crosswind.simulators.bedrock.BedrockRuntimeConformanceTest.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.SimulatorsExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * Converse's tool use and stop reasons (API 2023-09-30), driven by the real BedrockRuntimeClient: a
 * forced tool choice answers with a toolUse block and {@code tool_use}, the tool's result gets a
 * text answer, {@code maxTokens} and {@code stopSequences} cut the text with their stop reasons,
 * and ConverseStream sends a tool use as a block start and input fragments.
 */
class ConverseToolsConformanceTest {

  static final String REGION = "us-east-1";
  static final String SONNET = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

  @RegisterExtension static SimulatorsExtension clouds = SimulatorsExtension.withDefaults();

  static Simulators sim;
  static BedrockRuntimeClient runtime;

  @BeforeAll
  static void start() {
    sim = clouds.get();
    runtime = AwsClients.runtime(sim, REGION, AwsClients.user(sim));
  }

  static ToolConfiguration weatherTool(ToolChoice choice) {
    Document schema =
        Document.fromMap(
            Map.of(
                "type", Document.fromString("object"),
                "properties",
                    Document.fromMap(
                        Map.of(
                            "city",
                            Document.fromMap(Map.of("type", Document.fromString("string"))))),
                "required", Document.fromList(List.of(Document.fromString("city")))));
    return ToolConfiguration.builder()
        .tools(
            Tool.fromToolSpec(
                t ->
                    t.name("get_weather")
                        .description("Weather of a city")
                        .inputSchema(s -> s.json(schema))))
        .toolChoice(choice)
        .build();
  }

  @Test
  void aForcedToolChoiceAnswersWithAToolUseAndItsResultWithText() {
    ToolConfiguration tools = weatherTool(ToolChoice.fromAny(a -> {}));
    Message ask = user("Paris");

    ConverseResponse call =
        runtime.converse(
            r ->
                r.modelId(SONNET)
                    .messages(ask)
                    .toolConfig(tools)
                    .inferenceConfig(c -> c.maxTokens(200)));

    assertThat(call.stopReason()).isEqualTo(StopReason.TOOL_USE);
    ToolUseBlock use = call.output().message().content().get(0).toolUse();
    assertThat(use.name()).isEqualTo("get_weather");
    assertThat(use.toolUseId()).startsWith("tooluse_");
    assertThat(use.input().asMap().get("city").asString()).isEqualTo("Paris");

    Message result =
        Message.builder()
            .role(ConversationRole.USER)
            .content(
                ContentBlock.fromToolResult(
                    ToolResultBlock.builder()
                        .toolUseId(use.toolUseId())
                        .content(ToolResultContentBlock.fromText("sunny, 21 C"))
                        .build()))
            .build();
    ConverseResponse answer =
        runtime.converse(
            r ->
                r.modelId(SONNET)
                    .messages(ask, call.output().message(), result)
                    .toolConfig(tools)
                    .inferenceConfig(c -> c.maxTokens(200)));

    assertThat(answer.stopReason()).isEqualTo(StopReason.END_TURN);
    assertThat(answer.output().message().content().get(0).text()).contains("sunny, 21 C");
  }

  @Test
  void refusesToolBlocksWithoutToolConfigAndUnknownNamedTools() {
    Message withUse =
        Message.builder()
            .role(ConversationRole.ASSISTANT)
            .content(
                ContentBlock.fromToolUse(
                    ToolUseBlock.builder()
                        .toolUseId("tooluse_1")
                        .name("get_weather")
                        .input(Document.fromMap(Map.of()))
                        .build()))
            .build();
    var noConfig =
        catchThrowableOfType(
            ValidationException.class,
            () ->
                runtime.converse(
                    r -> r.modelId(SONNET).messages(user("hi"), withUse, user("and?"))));
    var unknown =
        catchThrowableOfType(
            ValidationException.class,
            () ->
                runtime.converse(
                    r ->
                        r.modelId(SONNET)
                            .messages(user("hi"))
                            .toolConfig(weatherTool(ToolChoice.fromTool(t -> t.name("nope"))))));

    assertThat(noConfig.getMessage()).contains("toolConfig field must be defined");
    assertThat(unknown.getMessage()).contains("nope");
  }

  @Test
  void maxTokensAndStopSequencesCutTheTextWithTheirStopReasons() {
    ConverseResponse cut =
        runtime.converse(
            r ->
                r.modelId(SONNET)
                    .messages(user("a long question"))
                    .inferenceConfig(c -> c.maxTokens(2)));
    ConverseResponse stopped =
        runtime.converse(
            r ->
                r.modelId(SONNET)
                    .messages(user("stop here please"))
                    .inferenceConfig(c -> c.maxTokens(200).stopSequences("here")));

    assertThat(cut.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
    assertThat(cut.output().message().content().get(0).text()).hasSize(8);
    assertThat(cut.usage().outputTokens()).isEqualTo(2);
    assertThat(stopped.stopReason()).isEqualTo(StopReason.STOP_SEQUENCE);
    assertThat(stopped.output().message().content().get(0).text())
        .endsWith("You said: stop ")
        .doesNotContain("here");
  }

  @Test
  void streamsAToolUseAsABlockStartAndInputFragments() {
    AtomicReference<String> name = new AtomicReference<>();
    StringBuilder input = new StringBuilder();
    List<String> stops = new ArrayList<>();
    ConverseStreamResponseHandler handler =
        ConverseStreamResponseHandler.builder()
            .subscriber(
                ConverseStreamResponseHandler.Visitor.builder()
                    .onContentBlockStart(e -> name.set(e.start().toolUse().name()))
                    .onContentBlockDelta(e -> input.append(e.delta().toolUse().input()))
                    .onMessageStop(e -> stops.add(e.stopReasonAsString()))
                    .build())
            .build();

    try (var async = AwsClients.asyncRuntime(sim, REGION, AwsClients.user(sim))) {
      async
          .converseStream(
              r ->
                  r.modelId(SONNET)
                      .messages(user("Lisbon"))
                      .toolConfig(weatherTool(ToolChoice.fromTool(t -> t.name("get_weather"))))
                      .inferenceConfig(c -> c.maxTokens(100)),
              handler)
          .join();
    }

    assertThat(name.get()).isEqualTo("get_weather");
    assertThat(input.toString()).isEqualTo("{\"city\":\"Lisbon\"}");
    assertThat(stops).containsExactly("tool_use");
  }
}
