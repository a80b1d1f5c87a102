package io.crosswind.gateway.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the logger {@code io.crosswind.gateway.access}: method, path, status,
 * endpoint, target, attempts, timing and the request id. Never a body, a header value, a key or a
 * prompt.
 */
public final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger("io.crosswind.gateway.access");

  /** What the access log says of one request. */
  public record Entry(
      String method,
      String path,
      int status,
      String endpoint,
      String operation,
      String target,
      int attempts,
      boolean stream,
      long millis,
      String errorCode,
      String requestId,
      String remote) {}

  public void log(Entry e) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    LOG.info(
        "method={} path={} status={} endpoint={} operation={} target={} attempts={} stream={}"
            + " duration_ms={} error={} request_id={} remote={}",
        e.method(),
        e.path(),
        e.status(),
        e.endpoint(),
        e.operation(),
        e.target(),
        e.attempts(),
        e.stream(),
        e.millis(),
        e.errorCode() == null ? "-" : e.errorCode(),
        e.requestId(),
        e.remote());
  }
}
