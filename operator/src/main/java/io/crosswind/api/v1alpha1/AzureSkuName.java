package io.crosswind.api.v1alpha1;

/** The deployment type (SKU) of an Azure OpenAI deployment. */
public enum AzureSkuName {
  Standard,
  GlobalStandard,
  DataZoneStandard,
  ProvisionedManaged,
  GlobalProvisionedManaged
}
