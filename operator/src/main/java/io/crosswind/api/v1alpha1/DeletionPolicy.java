package io.crosswind.api.v1alpha1;

/** What happens to cloud resources when the ModelEndpoint is deleted. */
public enum DeletionPolicy {
  Delete,
  Retain
}
