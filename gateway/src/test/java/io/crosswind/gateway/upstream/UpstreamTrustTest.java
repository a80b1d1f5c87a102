package io.crosswind.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crosswind.simulators.core.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamTrustTest {

  static List<String> issuers(TrustManagerFactory factory) {
    return Arrays.stream(factory.getTrustManagers())
        .filter(X509TrustManager.class::isInstance)
        .flatMap(tm -> Arrays.stream(((X509TrustManager) tm).getAcceptedIssuers()))
        .map(X509Certificate::getSubjectX500Principal)
        .map(Object::toString)
        .toList();
  }

  @Test
  void anExtraCaIsTrustedBesideTheJdksOwn(@TempDir Path dir) throws Exception {
    Path pem = TestCertificates.generate().writeCaPem(dir.resolve("ca.pem"));
    TrustManagerFactory jdk =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jdk.init((KeyStore) null);

    List<String> trusted = issuers(UpstreamTrust.withExtraCas(pem));

    assertThat(issuers(jdk)).isNotEmpty();
    assertThat(trusted).containsAll(issuers(jdk)).hasSize(issuers(jdk).size() + 1);
  }

  @Test
  void aFileWithoutACertificateStopsStartUpWithItsName(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");

    assertThatThrownBy(() -> UpstreamTrust.withExtraCas(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--upstream-ca-file " + empty);
    assertThatThrownBy(() -> UpstreamTrust.withExtraCas(dir.resolve("missing.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("could not be read");
  }
}
