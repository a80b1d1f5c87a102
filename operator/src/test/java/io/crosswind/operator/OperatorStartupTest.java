package io.crosswind.operator;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.OperatorException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class OperatorStartupTest {

  @Test
  void aClusterThatCannotBeReachedFailsTheStartAndFreesTheOperationsPort() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    KubernetesClient unreachable =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl("https://127.0.0.1:1")
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();

    assertThatThrownBy(
            () ->
                CrosswindOperator.start(
                    OperatorConfig.parse(
                        "--no-leader-election", "--ops-address=127.0.0.1", "--ops-port=" + port),
                    unreachable))
        .as("the start fails because the API server cannot be reached, not for another reason")
        .isInstanceOf(OperatorException.class)
        .hasMessage("Error starting operator")
        .hasRootCauseInstanceOf(IOException.class);

    // Nothing keeps the process alive, live and never ready: the port is closed again.
    assertThatThrownBy(
            () -> {
              try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
              }
            })
        .isInstanceOf(ConnectException.class);
  }
}
