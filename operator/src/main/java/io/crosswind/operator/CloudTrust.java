package io.crosswind.operator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS trust for cloud APIs: the JDK's CAs, plus those of {@code --cloud-ca-file} (a
 * TLS-inspecting proxy, or the local simulators' test CA).
 */
final class CloudTrust {

  private final X509TrustManager trustManager;
  private final SSLContext sslContext;

  private CloudTrust(X509TrustManager trustManager) {
    this.trustManager = trustManager;
    try {
      this.sslContext = SSLContext.getInstance("TLS");
      sslContext.init(null, new TrustManager[] {trustManager}, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available in this JDK", e);
    }
  }

  /** The JDK's trust alone when {@code caFile} is null or blank. */
  static CloudTrust load(String caFile) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (X509Certificate ca : jdkCas()) {
        store.setCertificateEntry("jdk-" + ca.getSubjectX500Principal().getName(), ca);
      }
      if (caFile != null && !caFile.isBlank()) {
        List<Certificate> extra = read(Path.of(caFile));
        if (extra.isEmpty()) {
          throw new IllegalArgumentException(
              "--cloud-ca-file " + caFile + " holds no PEM certificate");
        }
        for (int i = 0; i < extra.size(); i++) {
          store.setCertificateEntry("extra-" + i, extra.get(i));
        }
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return new CloudTrust(
          Arrays.stream(factory.getTrustManagers())
              .filter(X509TrustManager.class::isInstance)
              .map(X509TrustManager.class::cast)
              .findFirst()
              .orElseThrow());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "--cloud-ca-file " + caFile + " could not be read: " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> jdkCas() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    List<X509Certificate> cas = new ArrayList<>();
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        cas.addAll(Arrays.asList(x.getAcceptedIssuers()));
      }
    }
    return cas;
  }

  private static List<Certificate> read(Path file) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
    }
  }

  X509TrustManager trustManager() {
    return trustManager;
  }

  SSLContext sslContext() {
    return sslContext;
  }
}
