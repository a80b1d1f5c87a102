package io.crosswind.gateway.endpoints;

/** Where route tables come from: the operator's Secrets, or a directory of files. */
public interface RouteTableSource extends AutoCloseable {

  /** Starts reading and watching; returns without waiting for the first read. */
  void start();

  /** Whether the first full read is done, so the endpoints served are the published ones. */
  boolean synced();

  @Override
  void close();
}
