package io.parley.testservices;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An identity provider's key endpoint for tests: an HTTPS server on 127.0.0.1 with a certificate made by the
 * JDK's keytool for this run (its PEM in {@link #caFile()}), serving whatever JSON Web Key Set it is given at
 * {@code /.well-known/jwks.json} and counting the fetches. Changing what it serves is a key rotation.
 */
public final class HttpsJwksServer implements AutoCloseable {
    private final HttpsServer server;
    private final Path caFile;
    private final AtomicReference<String> served = new AtomicReference<>("{\"keys\":[]}");
    private final AtomicInteger fetches = new AtomicInteger();

    private HttpsJwksServer(HttpsServer server, Path caFile) {
        this.server = server;
        this.caFile = caFile;
    }

    /**
     * @param dir where the keystore and the CA file go
     * @return a started server
     */
    public static HttpsJwksServer start(Path dir) throws IOException, GeneralSecurityException, InterruptedException {
        Path keystore = dir.resolve("jwks-server.p12");
        keytool("-genkeypair", "-alias", "jwks", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
        Path ca = dir.resolve("jwks-ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "jwks", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", ca.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        HttpsJwksServer jwks = new HttpsJwksServer(https, ca);
        https.createContext("/.well-known/jwks.json", exchange -> {
            jwks.fetches.incrementAndGet();
            byte[] body = jwks.served.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        https.start();
        return jwks;
    }

    /** @param jwks the key set to serve from now on */
    public void serve(String jwks) {
        served.set(jwks);
    }

    /** @return how many times the key set was fetched */
    public int fetches() {
        return fetches.get();
    }

    /** @return the key set's URL */
    public URI url() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json");
    }

    /** @return the PEM certificate a client must trust to fetch from this server */
    public Path caFile() {
        return caFile;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }
}
