package io.crosswind.gateway.endpoints;

import io.crosswind.wire.RouteTableSecret;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route tables from the operator's Secrets in the gateway's namespace ({@code
 * app.kubernetes.io/managed-by=crosswind}, {@code app.kubernetes.io/component=route-table}, key
 * {@code routes.json}), through a fabric8 informer: a list, then a watch, so a change applies as
 * soon as the API server sends it. The gateway needs only get, list and watch on Secrets there.
 */
public final class SecretRouteSource implements RouteTableSource {

  private static final String ROUTES_KEY = RouteTableSecret.KEY;

  private static final Logger LOG = LoggerFactory.getLogger(SecretRouteSource.class);

  private final KubernetesClient client;
  private final String namespace;
  private final RouteTableSet tables;
  private SharedIndexInformer<Secret> informer;

  public SecretRouteSource(KubernetesClient client, String namespace, EndpointDirectory directory) {
    this.client = client;
    this.namespace = namespace;
    this.tables = new RouteTableSet(directory);
  }

  @Override
  public synchronized void start() {
    informer =
        client
            .secrets()
            .inNamespace(namespace)
            .withLabels(RouteTableSecret.SELECTOR)
            .runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Secret secret) {
            apply(secret);
          }

          @Override
          public void onUpdate(Secret before, Secret after) {
            apply(after);
          }

          @Override
          public void onDelete(Secret secret, boolean finalStateUnknown) {
            tables.remove(secret.getMetadata().getName());
          }
        });
    informer
        .start()
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                LOG.error(
                    "cannot list route-table Secrets in {}: {}", namespace, error.getMessage());
              } else {
                LOG.info("watching route-table Secrets in {}", namespace);
              }
            });
  }

  private void apply(Secret secret) {
    String name = secret.getMetadata().getName();
    String encoded = secret.getData() == null ? null : secret.getData().get(ROUTES_KEY);
    String plain = secret.getStringData() == null ? null : secret.getStringData().get(ROUTES_KEY);
    if (encoded == null && plain == null) {
      LOG.warn("Secret {} has no {}", name, ROUTES_KEY);
      tables.remove(name);
      return;
    }
    byte[] json;
    try {
      json =
          encoded != null
              ? Base64.getDecoder().decode(encoded)
              : plain.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      LOG.warn("Secret {} holds no base64 in {}", name, ROUTES_KEY);
      return;
    }
    tables.put(name, json);
  }

  @Override
  public boolean synced() {
    return informer != null && informer.hasSynced();
  }

  @Override
  public synchronized void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
