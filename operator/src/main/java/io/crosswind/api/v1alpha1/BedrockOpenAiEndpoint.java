package io.crosswind.api.v1alpha1;

/** Which Bedrock endpoint serves a target's OpenAI-compatible APIs. */
public enum BedrockOpenAiEndpoint {
  /** bedrock-runtime.{region}.amazonaws.com/openai/v1, AWS's recommendation. */
  Runtime,
  /** bedrock-mantle.{region}.api.aws/v1, for models and features only Mantle serves. */
  Mantle
}
