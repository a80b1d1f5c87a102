package io.crosswind.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.gateway.upstream.AttemptFailure.ConnectionFailed;
import io.crosswind.gateway.upstream.AttemptFailure.Refused;
import io.crosswind.gateway.upstream.AttemptFailure.StreamError;
import io.crosswind.gateway.upstream.AttemptFailure.TimedOut;
import io.crosswind.gateway.upstream.AttemptFailure.Unsupported;
import io.crosswind.gateway.upstream.AttemptFailure.UpstreamStatus;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What follows each kind of failed attempt, in one table. */
class RetryPolicyTest {

  static UpstreamStatus status(int code) {
    return new UpstreamStatus(code, null, null, -1);
  }

  @Test
  void connectionFailuresAndTimeoutsGoToTheNextTargetAndCountAgainstTheirs() {
    for (AttemptFailure f :
        new AttemptFailure[] {new Refused(), new TimedOut("t"), new ConnectionFailed("reset")}) {
      assertThat(RetryPolicy.tryNextTarget(f)).as(f.toString()).isTrue();
      assertThat(RetryPolicy.countsAgainstTarget(f)).as(f.toString()).isTrue();
    }
  }

  @Test
  void anUpstreamStatusGoesOnOnlyWhenAnotherTargetMightAnswerDifferently() {
    assertThat(
            IntStream.rangeClosed(400, 599)
                .filter(code -> RetryPolicy.tryNextTarget(status(code)))
                .boxed()
                .filter(code -> code < 500))
        .containsExactly(401, 403, 408, 429);
    assertThat(IntStream.rangeClosed(500, 599).allMatch(c -> RetryPolicy.tryNextTarget(status(c))))
        .isTrue();
    assertThat(RetryPolicy.countsAgainstTarget(status(400))).isFalse();
    assertThat(RetryPolicy.countsAgainstTarget(status(429))).isTrue();
  }

  @Test
  void aStreamExceptionGoesOnForThrottlingTimeoutsAndServerErrorsOnly() {
    assertThat(RetryPolicy.tryNextTarget(stream(429))).isTrue();
    assertThat(RetryPolicy.tryNextTarget(stream(408))).isTrue();
    assertThat(RetryPolicy.tryNextTarget(stream(503))).isTrue();
    assertThat(RetryPolicy.tryNextTarget(stream(400))).isFalse();
    assertThat(RetryPolicy.tryNextTarget(stream(403))).isFalse();
  }

  static StreamError stream(int code) {
    return new StreamError("someException", code, new JsonObject());
  }

  @Test
  void aRequestATargetCannotExpressTriesTheNextWithoutBlamingTheTarget() {
    Unsupported unsupported = new Unsupported("logprobs", "Converse has no logprobs");

    assertThat(RetryPolicy.tryNextTarget(unsupported)).isTrue();
    assertThat(RetryPolicy.countsAgainstTarget(unsupported)).isFalse();
  }

  @Test
  void theSameTargetIsTriedAgainOnlyWithinItsRetryAfterAndTheRequestsTime() {
    UpstreamStatus throttled = new UpstreamStatus(429, null, null, 200);

    assertThat(RetryPolicy.sameTargetAfter(throttled, 1_000, 5_000)).isEqualTo(200);
    assertThat(RetryPolicy.sameTargetAfter(throttled, 100, 5_000))
        .as("too long to wait")
        .isEqualTo(-1);
    assertThat(RetryPolicy.sameTargetAfter(throttled, 1_000, 150))
        .as("past the deadline")
        .isEqualTo(-1);
    assertThat(RetryPolicy.sameTargetAfter(throttled.withoutRetryAfter(), 1_000, 5_000))
        .as("once only")
        .isEqualTo(-1);
    assertThat(RetryPolicy.sameTargetAfter(new UpstreamStatus(429, null, null, 0), 1_000, 5_000))
        .isEqualTo(1);
    assertThat(RetryPolicy.sameTargetAfter(new Refused(), 1_000, 5_000)).isEqualTo(-1);
  }

  @Test
  void connectionErrorsAreClassifiedByKind() {
    assertThat(Exchange.classify(new ConnectException("Connection refused")))
        .isInstanceOf(Refused.class);
    assertThat(Exchange.classify(new TimeoutException("slow"))).isInstanceOf(TimedOut.class);
    assertThat(Exchange.classify(new ConnectTimeoutException("connect timed out")))
        .isInstanceOf(TimedOut.class);
    assertThat(Exchange.classify(new IOException("Connection reset")))
        .isEqualTo(new ConnectionFailed("the connection broke"));
    // What a client reads names no upstream host or address.
    for (Throwable leaky :
        List.of(
            new ConnectTimeoutException(
                "connection timed out: gw-acct.openai.azure.com/10.1.2.3:443"),
            new java.net.UnknownHostException("gw-acct.openai.azure.com"),
            new javax.net.ssl.SSLHandshakeException("No name matching gw-acct.openai.azure.com"),
            new IOException("Connection reset by peer: /10.1.2.3:443"))) {
      assertThat(Exchange.classify(leaky).describe())
          .doesNotContain("gw-acct")
          .doesNotContain("10.1.2.3");
    }
    assertThat(new Refused().outcome()).isEqualTo("refused");
    assertThat(status(503).outcome()).isEqualTo("status_503");
    assertThat(stream(429).outcome()).isEqualTo("stream_someException");
  }
}
