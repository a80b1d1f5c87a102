package io.crosswind.simulators.core;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Serves one simulated service over HTTPS on a loopback port. */
public final class ServiceServer implements AutoCloseable {

  private final Vertx vertx;
  private final SimulatedService service;
  private final HttpServerOptions options;
  private HttpServer server;
  private int port;

  public ServiceServer(Vertx vertx, TestCertificates certificates, SimulatedService service) {
    this.vertx = vertx;
    this.service = service;
    this.options =
        new HttpServerOptions()
            .setHost("127.0.0.1")
            .setSsl(true)
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .addCertValue(Buffer.buffer(certificates.serverCertificatePem()))
                    .addKeyValue(Buffer.buffer(certificates.serverKeyPem())));
  }

  /** Listens on a free port the first time, on the same port after {@link #stopListening()}. */
  public synchronized ServiceServer listen() {
    if (server != null) {
      return this;
    }
    HttpServerOptions withPort = new HttpServerOptions(options).setPort(port);
    server = await(vertx.createHttpServer(withPort).requestHandler(service.router(vertx)).listen());
    port = server.actualPort();
    service.bound("https://127.0.0.1:" + port);
    return this;
  }

  /** Closes the port, so connections are refused until {@link #listen()} binds it again. */
  public synchronized void stopListening() {
    if (server != null) {
      await(server.close());
      server = null;
    }
  }

  public int port() {
    return port;
  }

  public SimulatedService service() {
    return service;
  }

  @Override
  public void close() {
    stopListening();
  }

  static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("simulator server: " + e.getMessage(), e);
    }
  }
}
