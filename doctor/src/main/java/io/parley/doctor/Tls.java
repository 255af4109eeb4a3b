package io.parley.doctor;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Optional;

/**
 * The certificates the doctor trusts: the JDK's, or the ones in a PEM file ({@code --cacert}, for a private CA
 * or a self-signed certificate). Host names are always verified.
 *
 * @param context the TLS context to connect with
 */
record Tls(SSLContext context) {

    static Tls of(Optional<Path> caFile) {
        try {
            if (caFile.isEmpty()) {
                return new Tls(SSLContext.getDefault());
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            try (InputStream in = Files.newInputStream(caFile.get())) {
                int i = 0;
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trusted.setCertificateEntry("ca-" + i++, certificate);
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return new Tls(context);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("--cacert " + caFile.orElseThrow() + ": " + e.getMessage());
        }
    }
}
