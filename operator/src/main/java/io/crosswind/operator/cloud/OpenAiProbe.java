package io.crosswind.operator.cloud;

import io.crosswind.api.v1alpha1.TargetHealth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The cheapest request that proves an OpenAI-compatible upstream serves this target: a chat
 * completion of one token. It goes through the same quota as real traffic, so a throttled
 * deployment answers 429 here too, which is what routing needs to know.
 */
public final class OpenAiProbe {

  /** Response headers that carry the provider's request id, in order of preference. */
  static final List<String> REQUEST_ID_HEADERS =
      List.of("apim-request-id", "x-request-id", "x-amzn-requestid", "x-ms-request-id");

  private final HttpClient http;
  private final Clock clock;

  public OpenAiProbe(HttpClient http, Clock clock) {
    this.http = http;
    this.clock = clock;
  }

  public ProbeResult probe(Upstream upstream, Credential credential, Duration timeout) {
    Instant start = clock.instant();
    if (upstream == null || credential == null) {
      return new ProbeResult(
          TargetHealth.Unknown,
          0,
          Duration.ZERO,
          "The target has no endpoint or credential to probe yet.",
          start);
    }
    String body =
        "{\"model\":"
            + quote(upstream.model())
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}],"
            + "\"max_completion_tokens\":1}";
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/chat/completions"))
            .timeout(timeout)
            .header("content-type", "application/json")
            .header("user-agent", "crosswind-probe")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (credential.scheme() == Credential.Scheme.API_KEY_HEADER) {
      request.header("api-key", credential.value());
    } else {
      request.header("authorization", "Bearer " + credential.value());
    }
    try {
      HttpResponse<Void> response =
          http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
              .get(timeout.toMillis() + 500, java.util.concurrent.TimeUnit.MILLISECONDS);
      Duration latency = Duration.between(start, clock.instant());
      return classify(response.statusCode(), requestId(response), latency, start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unhealthy("the probe was interrupted", start);
    } catch (java.util.concurrent.TimeoutException e) {
      return unhealthy("no answer within " + timeout.toMillis() + " ms", start);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        return unhealthy("no answer within " + timeout.toMillis() + " ms", start);
      }
      if (cause instanceof IOException) {
        return unhealthy("the connection failed (" + cause.getClass().getSimpleName() + ")", start);
      }
      return unhealthy("the probe failed (" + cause.getClass().getSimpleName() + ")", start);
    }
  }

  static ProbeResult classify(int status, String requestId, Duration latency, Instant at) {
    String id = requestId == null ? "" : " (request id " + requestId + ")";
    if (status >= 200 && status < 300) {
      return new ProbeResult(TargetHealth.Healthy, status, latency, "", at);
    }
    if (status == 429) {
      return new ProbeResult(
          TargetHealth.Throttled,
          status,
          latency,
          "The upstream answered 429: its rate limit is reached" + id + ".",
          at);
    }
    if (status == 401 || status == 403) {
      return new ProbeResult(
          TargetHealth.Unhealthy,
          status,
          latency,
          "The upstream refused the published credential (" + status + ")" + id + ".",
          at);
    }
    return new ProbeResult(
        TargetHealth.Unhealthy, status, latency, "The upstream answered " + status + id + ".", at);
  }

  private ProbeResult unhealthy(String why, Instant start) {
    return new ProbeResult(
        TargetHealth.Unhealthy,
        0,
        Duration.between(start, clock.instant()),
        "The probe got no answer: " + why + ".",
        start);
  }

  private static String requestId(HttpResponse<?> response) {
    for (String header : REQUEST_ID_HEADERS) {
      var value = response.headers().firstValue(header);
      if (value.isPresent()) {
        return value.get();
      }
    }
    return null;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
