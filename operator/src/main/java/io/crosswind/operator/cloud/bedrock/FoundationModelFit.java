package io.crosswind.operator.cloud.bedrock;

import io.crosswind.operator.cloud.CloudError;
import io.crosswind.operator.cloud.Upstream;
import java.util.List;
import software.amazon.awssdk.services.bedrock.model.FoundationModelDetails;

/**
 * Whether a foundation model, as GetFoundationModel describes it, can serve a target, and through
 * which API: decided from the model's data, never from its id.
 *
 * @param problem why it cannot, or null
 * @param api {@link Upstream.Api#OPENAI} for models whose provider is OpenAI (Bedrock serves them
 *     on its OpenAI-compatible Chat Completions API), {@link Upstream.Api#BEDROCK_CONVERSE} for the
 *     others
 * @param lifecycle ACTIVE or LEGACY, as Bedrock reports it (null when it reports none)
 */
record FoundationModelFit(CloudError problem, Upstream.Api api, String lifecycle) {

  static final String ON_DEMAND = "ON_DEMAND";
  static final String PROVISIONED = "PROVISIONED";
  static final String INFERENCE_PROFILE = "INFERENCE_PROFILE";
  static final String LEGACY = "LEGACY";

  boolean legacy() {
    return LEGACY.equals(lifecycle);
  }

  static FoundationModelFit of(BedrockTargetSpec spec, FoundationModelDetails model) {
    String lifecycle =
        model.modelLifecycle() == null ? null : model.modelLifecycle().statusAsString();
    Upstream.Api api =
        "OpenAI".equalsIgnoreCase(model.providerName())
            ? Upstream.Api.OPENAI
            : Upstream.Api.BEDROCK_CONVERSE;
    return new FoundationModelFit(problem(spec, model), api, lifecycle);
  }

  private static CloudError problem(BedrockTargetSpec spec, FoundationModelDetails model) {
    String id = model.modelId() + " in " + spec.region();
    if (!model.outputModalitiesAsStrings().contains("TEXT")) {
      return unsupported(
          "ModelUnsupported",
          "Model "
              + id
              + " produces "
              + String.join(", ", model.outputModalitiesAsStrings())
              + ", not text; a ModelEndpoint serves chat models, so choose a text model.");
    }
    List<String> types = model.inferenceTypesSupportedAsStrings();
    String supported = "it supports " + (types.isEmpty() ? "none" : String.join(", ", types));
    if (spec.provisioned()) {
      return types.contains(PROVISIONED)
          ? null
          : unsupported(
              "ThroughputModeNotSupported",
              "Model "
                  + id
                  + " cannot be bought as provisioned throughput ("
                  + supported
                  + "); use throughput mode OnDemand or a model that supports PROVISIONED.");
    }
    if (spec.crossRegion() != null) {
      return types.contains(INFERENCE_PROFILE)
          ? null
          : unsupported(
              "ThroughputModeNotSupported",
              "Model "
                  + id
                  + " is not served through cross-region inference profiles ("
                  + supported
                  + "); remove crossRegion.");
    }
    if (types.contains(ON_DEMAND)) {
      return null;
    }
    String hint =
        types.contains(INFERENCE_PROFILE)
            ? "set crossRegion to serve it through a cross-region inference profile"
            : "use throughput mode Provisioned";
    return unsupported(
        "ThroughputModeNotSupported",
        "Model "
            + id
            + " is not served on demand in the region ("
            + supported
            + "); "
            + hint
            + ".");
  }

  private static CloudError unsupported(String reason, String message) {
    return new CloudError(reason, message, BedrockErrors.CONFIGURATION);
  }
}
