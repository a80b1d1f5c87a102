package io.crosswind.gateway.converse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ConverseRequestsTest {

  static JsonObject json(String text) {
    return new JsonObject(text);
  }

  @Test
  void mapsSystemTurnsToolsAndInferenceSettings() {
    JsonObject converse =
        ConverseRequests.translate(
            json(
                """
                {"model": "claude", "max_completion_tokens": 50, "temperature": 0.2, "top_p": 0.9,
                 "stop": "END", "tool_choice": {"type": "function", "function": {"name": "f"}},
                 "tools": [{"type": "function", "function": {"name": "f", "description": "d",
                   "parameters": {"type": "object"}}}],
                 "messages": [
                   {"role": "system", "content": "Be brief."},
                   {"role": "developer", "content": [{"type": "text", "text": "No jokes."}]},
                   {"role": "user", "content": [{"type": "text", "text": "hi"},
                     {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]},
                   {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1",
                     "type": "function", "function": {"name": "f", "arguments": "{\\"a\\": 1}"}}]},
                   {"role": "tool", "tool_call_id": "call_1", "content": "42"},
                   {"role": "user", "content": "thanks"}]}
                """));

    assertThat(converse)
        .isEqualTo(
            json(
                """
                {"messages": [
                   {"role": "user", "content": [{"text": "hi"},
                     {"image": {"format": "png", "source": {"bytes": "iVBORw0KGgo="}}}]},
                   {"role": "assistant", "content": [{"toolUse": {"toolUseId": "call_1", "name": "f",
                     "input": {"a": 1}}}]},
                   {"role": "user", "content": [
                     {"toolResult": {"toolUseId": "call_1", "content": [{"text": "42"}]}},
                     {"text": "thanks"}]}],
                 "system": [{"text": "Be brief."}, {"text": "No jokes."}],
                 "inferenceConfig": {"maxTokens": 50, "temperature": 0.2, "topP": 0.9,
                   "stopSequences": ["END"]},
                 "toolConfig": {"tools": [{"toolSpec": {"name": "f", "inputSchema":
                   {"json": {"type": "object"}}, "description": "d"}}],
                   "toolChoice": {"tool": {"name": "f"}}}}
                """));
  }

  @Test
  void refusesWhatConverseCannotExpress() {
    assertThatThrownBy(
            () ->
                ConverseRequests.translate(
                    json(
                        "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\","
                            + " \"image_url\": {\"url\": \"https://example.com/cat.png\"}}]}]}")))
        .isInstanceOf(ConverseRequests.Unsupported.class)
        .hasMessageContaining("data:image");
    assertThatThrownBy(
            () ->
                ConverseRequests.translate(
                    json("{\"n\": 2, \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}")))
        .hasMessageContaining("'n'");
    assertThatThrownBy(
            () -> ConverseRequests.translate(json("{\"max_tokens\": \"ten\", \"messages\": []}")))
        .isInstanceOf(ConverseRequests.Unsupported.class);
  }

  @Test
  void toolChoiceNoneLeavesTheToolsOut() {
    JsonObject converse =
        ConverseRequests.translate(
            json(
                """
                {"tool_choice": "none", "tools": [{"type": "function", "function": {"name": "f"}}],
                 "messages": [{"role": "user", "content": "x"}]}
                """));

    assertThat(converse.containsKey("toolConfig")).isFalse();
  }

  @Test
  void mapsStopReasonsToFinishReasons() {
    assertThat(ConverseResponses.finishReason("end_turn")).isEqualTo("stop");
    assertThat(ConverseResponses.finishReason("stop_sequence")).isEqualTo("stop");
    assertThat(ConverseResponses.finishReason("tool_use")).isEqualTo("tool_calls");
    assertThat(ConverseResponses.finishReason("max_tokens")).isEqualTo("length");
    assertThat(ConverseResponses.finishReason("guardrail_intervened")).isEqualTo("content_filter");
    assertThat(ConverseResponses.finishReason("content_filtered")).isEqualTo("content_filter");
  }
}
