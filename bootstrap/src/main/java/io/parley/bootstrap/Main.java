package io.parley.bootstrap;

import io.helidon.logging.common.LogConfig;
import io.parley.doctor.Doctor;
import io.parley.adapters.persistence.jdbc.JdbcSettings;
import io.parley.adapters.persistence.jdbc.JdbcStorage;
import io.parley.adapters.rest.ServerKeys;

import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The command line: {@code serve} (default), {@code dev}, {@code token USER [NAME]}, {@code server-key ID
 * [SCOPES]}, {@code migrate}.
 */
public final class Main {
    private Main() {
    }

    /**
     * @param args the command and its arguments
     */
    public static void main(String[] args) {
        LogConfig.configureRuntime();
        String command = args.length == 0 ? "serve" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        try {
            switch (command) {
                case "serve" -> serve(Map.of());
                case "dev" -> serve(Map.of("parley.dev", "true"));
                case "token" -> token(rest);
                case "migrate" -> migrate();
                case "server-key" -> serverKey(rest);
                case "doctor" -> System.exit(doctor(rest));
                case "help", "-h", "--help" -> usage();
                default -> {
                    System.err.println("unknown command: " + command);
                    usage();
                    System.exit(2);
                }
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("parley: " + StartupFailure.explain(e).orElse(e.getMessage()));
            System.exit(1);
        } catch (RuntimeException e) {
            Optional<String> explained = StartupFailure.explain(e);
            if (explained.isEmpty()) {
                throw e;
            }
            System.err.println("parley: " + explained.get());
            System.exit(1);
        }
    }

    private static void serve(Map<String, String> overrides) throws IllegalStateException {
        ParleyServer server = ParleyServer.start(overrides);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }, "parley-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Prints a new server API key once (for the backend's secret store) and the configuration entry that
     * accepts it (its SHA-256 only: the server never holds the key).
     */
    private static void serverKey(String[] args) {
        if (args.length < 1 || !args[0].matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("usage: parley server-key ID [SCOPES], e.g. parley server-key crm "
                    + "rooms,messages,read,users (ID: letters, digits, . _ -)");
        }
        String scopes = args.length > 1 ? args[1] : "rooms,messages,read,users";
        for (String scope : scopes.split(",")) {
            ServerKeys.Scope.named(scope);
        }
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        String key = "pk_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        System.out.println("key (give it to your backend; it is not shown again): " + key);
        System.out.println("configuration (parley.server-api.keys in application.yaml, or PARLEY_SERVER_API_KEYS):");
        System.out.println("  " + args[0] + ":" + ServerKeys.sha256(key) + ":" + scopes.replace(',', '+'));
    }

    /** Runs the PostgreSQL schema migrations alone (they also run when the server starts on jdbc). */
    private static void migrate() {
        var store = ParleyConfig.load(Map.of()).get("parley.store.jdbc");
        int applied = JdbcStorage.migrate(JdbcSettings.create(store));
        System.out.println("applied " + applied + " migration(s)");
    }

    /** Prints a token signed with the configured HS256 secret, or the dev secret. */
    private static void token(String[] args) {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: parley token USER [DISPLAY NAME]");
        }
        String name = args.length > 1 ? String.join(" ", Arrays.copyOfRange(args, 1, args.length)) : args[0];
        TokenCommand.Issued issued = TokenCommand.issue(ParleyConfig.load(Map.of()).get("parley"), args[0], name,
                Clock.systemUTC());
        issued.warning().ifPresent(warning -> System.err.println("parley: " + warning));
        System.out.println(issued.token());
    }

    /**
     * Probes a deployment from the client's side ({@link Doctor}); {@code --user} tokens are signed as
     * {@code parley token} signs them.
     */
    private static int doctor(String[] args) {
        return Doctor.main(args, System.out, Optional.of(user -> {
            TokenCommand.Issued issued = TokenCommand.issue(ParleyConfig.load(Map.of()).get("parley"), user, user,
                    Clock.systemUTC());
            issued.warning().ifPresent(warning -> System.err.println("parley: " + warning));
            return issued.token();
        }));
    }

    private static void usage() {
        System.out.println("""
                usage: parley [serve | dev | token USER [NAME] | server-key ID [SCOPES] | migrate | doctor URL [options]]
                  serve              start with application.yaml and the environment (default)
                  dev                start in dev mode: in-memory defaults, dev tokens, any origin
                  token USER [NAME]  print a token signed with PARLEY_JWT_SECRET or the dev secret
                  server-key ID [SCOPES]  print a new server API key and the configuration line that accepts it
                                     (scopes: rooms,messages,read,users; all by default)
                  migrate            apply the PostgreSQL schema migrations (PARLEY_DB_URL, _USER, _PASSWORD)
                  doctor URL         probe a deployment as clients reach it; names the cause and fix of each
                                     failure (parley doctor --help for its options)""");
    }
}
