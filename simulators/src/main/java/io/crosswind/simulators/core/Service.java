package io.crosswind.simulators.core;

/** The cloud services the simulators stand in for; each listens on a port of its own. */
public enum Service {
  /** Azure Resource Manager, Microsoft.CognitiveServices. */
  ARM("arm"),
  /** Entra ID token endpoint. */
  ENTRA("entra"),
  /** Azure OpenAI data plane. */
  AZURE_OPENAI("azure-openai"),
  /** Bedrock control plane. */
  BEDROCK("bedrock"),
  /** AWS STS. */
  STS("sts"),
  /** Bedrock runtime: Converse and the OpenAI-compatible APIs under /openai/v1. */
  BEDROCK_RUNTIME("bedrock-runtime"),
  /** Bedrock's mantle endpoint: the OpenAI-compatible APIs only, under /v1 (or /openai/v1). */
  BEDROCK_MANTLE("bedrock-mantle");

  private final String id;

  Service(String id) {
    this.id = id;
  }

  /** The name used by the admin API and in logs. */
  public String id() {
    return id;
  }

  public static Service fromId(String id) {
    for (Service s : values()) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no simulated service " + id);
  }
}
