package io.crosswind.api.v1alpha1;

/** When Azure moves a deployment to a newer model version. */
public enum VersionUpgradeOption {
  OnceNewDefaultVersionAvailable,
  OnceCurrentVersionExpired,
  NoAutoUpgrade
}
