package io.crosswind.api.v1alpha1;

/** Where a target's cloud-side resources are in their life. */
public enum TargetState {
  Pending,
  Provisioning,
  Ready,
  Failed,
  Deleting
}
