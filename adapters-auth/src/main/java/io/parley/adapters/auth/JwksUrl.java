package io.parley.adapters.auth;

import org.jose4j.http.Get;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The issuer's keys from its JWKS URL (jose4j's {@link HttpsJwks}): fetched when first needed, kept for the
 * answer's {@code Cache-Control: max-age} or the configured time, and fetched again at once when a token
 * names a {@code kid} the set does not hold (the issuer rotated its key), but not more often than the
 * configured interval, so tokens with made-up key ids cannot make the server hammer the issuer. While the
 * issuer cannot be reached, the keys fetched last keep working for the cache time.
 */
final class JwksUrl {
    private static final System.Logger LOG = System.getLogger(JwksUrl.class.getName());

    private final HttpsJwks jwks;
    private final Duration minRefreshInterval;
    private final Clock clock;
    private Instant lastRefresh = Instant.MIN;

    JwksUrl(URI url, Duration cache, Duration minRefreshInterval, Optional<Path> trustedCertificates, Clock clock) {
        this.jwks = new HttpsJwks(url.toString());
        this.jwks.setDefaultCacheDuration(cache.toSeconds());
        this.jwks.setRetainCacheOnErrorDuration(cache.toSeconds());
        this.jwks.setRefreshReprieveThreshold(0); // refreshes are rate-limited here, by minRefreshInterval
        Get get = new Get();
        get.setConnectTimeout(5_000);
        get.setReadTimeout(5_000);
        get.setResponseBodySizeLimit(512 * 1024);
        trustedCertificates.ifPresent(file -> get.setTrustedCertificates(certificates(file)));
        this.jwks.setSimpleHttpGet(get);
        this.minRefreshInterval = minRefreshInterval;
        this.clock = clock;
    }

    /** @return the public keys of the set, fetching it if the cached copy is missing or old */
    List<PublicJsonWebKey> keys() throws UnresolvableKeyException {
        try {
            List<PublicJsonWebKey> keys = new ArrayList<>();
            for (JsonWebKey key : jwks.getJsonWebKeys()) {
                if (key instanceof PublicJsonWebKey publicKey) {
                    keys.add(publicKey);
                }
            }
            return keys;
        } catch (JoseException | IOException e) {
            LOG.log(System.Logger.Level.WARNING, "JWKS " + jwks.getLocation() + " unavailable: " + e.getMessage());
            throw new UnresolvableKeyException("the issuer's key set is unavailable", e);
        }
    }

    /**
     * Fetches the set again, unless that was done less than the minimum interval ago.
     *
     * @return whether it was fetched
     */
    synchronized boolean refresh() {
        Instant now = clock.instant();
        if (lastRefresh.plus(minRefreshInterval).isAfter(now)) {
            return false;
        }
        lastRefresh = now;
        try {
            jwks.refresh();
            return true;
        } catch (JoseException | IOException e) {
            LOG.log(System.Logger.Level.WARNING, "JWKS " + jwks.getLocation() + " not refreshed: " + e.getMessage());
            return false;
        }
    }

    private static List<X509Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .forEach(certificate -> certificates.add((X509Certificate) certificate));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("jwks-ca-file " + file + " holds no certificate");
            }
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException("jwks-ca-file " + file + " cannot be read", e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("jwks-ca-file " + file + ": not PEM certificates: " + e.getMessage());
        }
    }
}
