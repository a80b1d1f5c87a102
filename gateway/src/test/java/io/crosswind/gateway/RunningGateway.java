package io.crosswind.gateway;

import io.crosswind.simulators.Simulators;
import io.crosswind.simulators.core.TestCertificates;
import io.crosswind.wire.RouteTable;
import io.crosswind.wire.RouteTables;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A gateway in this JVM on free loopback ports, reading route tables from a directory. */
public final class RunningGateway implements AutoCloseable {

  public final CrosswindGateway gateway;
  public final Path routesDir;
  public final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private RunningGateway(CrosswindGateway gateway, Path routesDir) {
    this.gateway = gateway;
    this.routesDir = routesDir;
  }

  public static RunningGateway start(Simulators sim, Path dir, String... flags) {
    return start(sim.certificates(), dir, flags);
  }

  /** A gateway that trusts the CA of these certificates for its upstreams. */
  public static RunningGateway start(TestCertificates certificates, Path dir, String... flags) {
    Path ca = certificates.writeCaPem(dir.resolve("simulators-ca.pem"));
    Path routes = dir.resolve("routes");
    try {
      Files.createDirectories(routes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                "--address=127.0.0.1",
                "--port=0",
                "--ops-address=127.0.0.1",
                "--ops-port=0",
                "--event-loops=2",
                "--routes-dir=" + routes,
                "--upstream-ca-file=" + ca));
    args.addAll(List.of(flags));
    return new RunningGateway(
        CrosswindGateway.start(GatewayConfig.parse(args.toArray(String[]::new))), routes);
  }

  /** Writes a route table file as the operator would replace it: whole, in one move. */
  public void routes(String file, RouteTable table) {
    try {
      Path tmp = Files.createTempFile(routesDir.getParent(), "routes", ".tmp");
      Files.writeString(tmp, RouteTables.write(table));
      Files.move(
          tmp,
          routesDir.resolve(file),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void removeRoutes(String file) {
    try {
      Files.deleteIfExists(routesDir.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url(String path) {
    return "http://127.0.0.1:" + gateway.port() + path;
  }

  public HttpResponse<String> post(String path, String key, JsonObject body, String... headers) {
    return post(path, key, body.encode(), headers);
  }

  public HttpResponse<String> post(String path, String key, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url(path)))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  public HttpResponse<String> get(String path, String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).GET();
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return send(request.build());
  }

  public HttpResponse<String> ops(String path) {
    return send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.opsPort() + path)).build());
  }

  /** The value of one Prometheus sample whose line starts with this text, or 0. */
  public double metric(String prefix) {
    return ops("/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    gateway.close();
  }
}
