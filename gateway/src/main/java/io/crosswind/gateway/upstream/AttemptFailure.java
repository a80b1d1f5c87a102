package io.crosswind.gateway.upstream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Why an attempt at one target gave no answer to relay. Each kind names itself for the attempts
 * metric ({@link #outcome()}) and for the client's message when no target answered ({@link
 * #describe()}); {@link RetryPolicy} decides what follows it.
 */
sealed interface AttemptFailure {

  /** The {@code outcome} label of {@code crosswind_gateway_upstream_attempts_total}. */
  String outcome();

  /** What happened, in a few words, for the error the client gets when nothing answered. */
  String describe();

  /** The connection was refused. */
  record Refused() implements AttemptFailure {
    @Override
    public String outcome() {
      return "refused";
    }

    @Override
    public String describe() {
      return "connection refused";
    }
  }

  /** No first byte within the first-byte timeout (or the request's deadline), or no connection. */
  record TimedOut(String message) implements AttemptFailure {
    @Override
    public String outcome() {
      return "timeout";
    }

    @Override
    public String describe() {
      return message;
    }
  }

  /** The connection failed otherwise (reset, TLS, DNS). */
  record ConnectionFailed(String message) implements AttemptFailure {
    @Override
    public String outcome() {
      return "connection_error";
    }

    @Override
    public String describe() {
      return "connection failed (" + message + ")";
    }
  }

  /**
   * The upstream answered with a status other than 2xx.
   *
   * @param body its error body, as read
   * @param awsErrorType Bedrock's {@code x-amzn-ErrorType} header, or null
   * @param retryAfterMillis how long a 429 asked to wait, or -1
   */
  record UpstreamStatus(int status, Buffer body, String awsErrorType, long retryAfterMillis)
      implements AttemptFailure {
    @Override
    public String outcome() {
      return "status_" + status;
    }

    @Override
    public String describe() {
      return "HTTP " + status;
    }

    /** The same answer, its Retry-After used up. */
    UpstreamStatus withoutRetryAfter() {
      return new UpstreamStatus(status, body, awsErrorType, -1);
    }
  }

  /**
   * A Converse stream reported an exception before any content reached the client.
   *
   * @param type the exception's type (throttlingException, ...)
   * @param error the error in OpenAI's shape, as the client gets it
   */
  record StreamError(String type, int status, JsonObject error) implements AttemptFailure {
    @Override
    public String outcome() {
      return "stream_" + type;
    }

    @Override
    public String describe() {
      return type;
    }
  }

  /**
   * The target's API cannot express the request (a Converse target and a parameter it lacks); it
   * was not sent there.
   *
   * @param param the request parameter, or null
   */
  record Unsupported(String param, String message) implements AttemptFailure {
    @Override
    public String outcome() {
      return "unsupported";
    }

    @Override
    public String describe() {
      return message;
    }
  }
}
