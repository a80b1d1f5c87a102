package io.crosswind.gateway.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What the gateway trusts for upstream TLS: the JDK's CAs and, from {@code --upstream-ca-file},
 * more (a TLS-inspecting egress proxy, or the simulators' test CA) in addition to them, so that
 * adding a proxy's CA never cuts off a cloud whose certificate a public CA signs.
 */
public final class UpstreamTrust {

  private UpstreamTrust() {}

  /** The JDK's CAs and those of the PEM file; a file without a certificate is an error. */
  public static TrustManagerFactory withExtraCas(Path pemFile) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      TrustManagerFactory jdk =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      jdk.init((KeyStore) null);
      int n = 0;
      for (TrustManager tm : jdk.getTrustManagers()) {
        if (tm instanceof X509TrustManager x509) {
          for (X509Certificate ca : x509.getAcceptedIssuers()) {
            store.setCertificateEntry("jdk-" + n++, ca);
          }
        }
      }
      Collection<? extends Certificate> extra;
      try (InputStream in = Files.newInputStream(pemFile)) {
        extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (extra.isEmpty()) {
        throw new IllegalArgumentException(
            "--upstream-ca-file " + pemFile + " holds no PEM certificate");
      }
      for (Certificate ca : extra) {
        store.setCertificateEntry("extra-" + n++, ca);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "--upstream-ca-file " + pemFile + " could not be read: " + e.getMessage(), e);
    }
  }
}
