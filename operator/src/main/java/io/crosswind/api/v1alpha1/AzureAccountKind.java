package io.crosswind.api.v1alpha1;

/** The kind of an Azure AI account that can serve OpenAI models. */
public enum AzureAccountKind {
  AIServices,
  OpenAI
}
