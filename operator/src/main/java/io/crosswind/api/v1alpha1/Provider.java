package io.crosswind.api.v1alpha1;

/** The cloud that serves a target. */
public enum Provider {
  Bedrock,
  AzureOpenAI
}
