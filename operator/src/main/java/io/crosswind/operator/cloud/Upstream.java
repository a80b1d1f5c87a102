package io.crosswind.operator.cloud;

/**
 * Where a target answers OpenAI-compatible requests: what the gateway forwards to and what the
 * endpoint Secret carries in Direct mode. Nothing secret.
 *
 * @param api which wire protocol the target speaks
 * @param baseUrl the OpenAI-compatible base URL, ending in {@code /v1}; for {@link
 *     Api#BEDROCK_CONVERSE}, the Bedrock runtime endpoint of the region
 * @param model what to send as {@code model}: the Azure deployment name, or the Bedrock model id or
 *     inference profile ARN
 * @param region the cloud region that serves it, when known
 */
public record Upstream(Api api, String baseUrl, String model, String region) {

  /** The protocols upstreams speak. */
  public enum Api {
    /** OpenAI Chat Completions and Responses under {@link #baseUrl()} (Azure v1, Bedrock). */
    OPENAI,
    /** Bedrock Converse and ConverseStream, for models with no OpenAI-compatible API. */
    BEDROCK_CONVERSE
  }
}
