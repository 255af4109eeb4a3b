package io.parley.testservices;

import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/**
 * A Redis server in a process of its own that one test controls: it can stop the server and start it again
 * on the same port. Runs the {@code redis-server} found on the {@code PATH} when there is one (a current
 * Redis), else the one bundled with {@code com.github.codemonstur:embedded-redis} (Redis 6.2, which knows no
 * sharded pub/sub). Nothing is persisted: after {@link #restart()} the server is empty, like a Redis that
 * lost its memory.
 */
public final class EmbeddedRedisServer implements AutoCloseable {
    private final int port;
    private RedisServer running;

    private EmbeddedRedisServer(int port) {
        this.port = port;
    }

    /**
     * Starts a new server on a free loopback port.
     *
     * @return the running server
     */
    public static EmbeddedRedisServer start() {
        EmbeddedRedisServer server = new EmbeddedRedisServer(freePort());
        server.restart();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "parley-embedded-redis-stop"));
        return server;
    }

    /** @return the port the server listens on, the same after every restart */
    public int port() {
        return port;
    }

    /** @return {@code redis://127.0.0.1:<port>} */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server; connections to it break and new ones are refused. Does nothing when stopped. */
    public synchronized void stop() {
        if (running == null) {
            return;
        }
        try {
            running.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            running = null;
        }
        awaitPort(false);
    }

    /** Starts the stopped server again, empty, on the same port. Does nothing when it runs. */
    public synchronized void restart() {
        if (running != null) {
            return;
        }
        try {
            RedisServer server = RedisServer.newRedisServer()
                    .executableProvider(executable())
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .onShutdownForceStop(true)
                    .build();
            server.start();
            running = server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server on port " + port, e);
        }
        awaitPort(true);
    }

    /** @return whether the server runs */
    public synchronized boolean isRunning() {
        return running != null;
    }

    /** Stops the server. */
    @Override
    public void close() {
        stop();
    }

    static ExecutableProvider executable() {
        try {
            return ExecutableProvider.newExecutableInPath("redis-server");
        } catch (FileNotFoundException e) {
            return ExecutableProvider.newJarResourceProvider();
        }
    }

    private void awaitPort(boolean open) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            boolean listening;
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                listening = true;
            } catch (IOException e) {
                listening = false;
            }
            if (listening == open) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("redis-server on port " + port + (open ? " did not start" : " did not stop"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
