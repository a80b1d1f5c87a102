package io.crosswind.api.v1alpha1;

/** Whether traffic returns to a recovered higher-priority target by itself. */
public enum Failback {
  Automatic,
  Manual
}
