package io.parley.bootstrap.browser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a server that plays the networks the browser client must get through: it passes
 * plain HTTP (pages, REST, SSE, long-poll) and, depending on its {@link Mode}, passes WebSocket upgrades,
 * refuses them, or passes the upgrade and then swallows every frame (a proxy that "supports" WebSocket
 * but buffers it forever).
 */
final class UpgradeBlockingProxy implements AutoCloseable {
    /** What happens to a WebSocket upgrade. */
    enum Mode {
        /** Passed through like everything else. */
        PASS,
        /** Answered 403 by the proxy. */
        REFUSE,
        /** The 101 reaches the browser; no frame ever does, in either direction. */
        SWALLOW_FRAMES
    }

    private final ServerSocket listener;
    private final int target;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger upgrades = new AtomicInteger();
    private final List<String> upgradeRequestLines = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.PASS;

    private UpgradeBlockingProxy(int target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    static UpgradeBlockingProxy start(int targetPort) {
        try {
            return new UpgradeBlockingProxy(targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    /** @return how many WebSocket upgrade requests came through so far */
    int upgrades() {
        return upgrades.get();
    }

    /** @return the request line of every WebSocket upgrade so far ({@code GET /v1/ws?… HTTP/1.1}) */
    List<String> upgradeRequestLines() {
        return List.copyOf(upgradeRequestLines);
    }

    /** Drops every open connection, as a network change would. */
    void dropAll() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                threads.submit(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        Socket upstream = null;
        try {
            byte[] head = readHead(client.getInputStream());
            if (head.length == 0) {
                return;
            }
            boolean upgrade = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)
                    .contains("\nupgrade: websocket");
            Mode now = mode;
            if (upgrade) {
                upgrades.incrementAndGet();
                String text = new String(head, StandardCharsets.ISO_8859_1);
                upgradeRequestLines.add(text.substring(0, Math.max(0, text.indexOf("\r\n"))));
            }
            if (upgrade && now == Mode.REFUSE) {
                client.getOutputStream().write(("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                client.getOutputStream().flush();
                return;
            }
            upstream = new Socket(InetAddress.getLoopbackAddress(), target);
            sockets.add(upstream);
            upstream.getOutputStream().write(head);
            upstream.getOutputStream().flush();
            if (upgrade && now == Mode.SWALLOW_FRAMES) {
                byte[] response = readHead(upstream.getInputStream());
                client.getOutputStream().write(response);
                client.getOutputStream().flush();
                Socket server = upstream;
                threads.submit(() -> discard(server));
                discard(client);
                return;
            }
            Socket server = upstream;
            threads.submit(() -> pipe(server, client));
            pipe(client, server);
        } catch (IOException e) {
            // a side went away: close both
        } finally {
            closeQuietly(client);
            if (upstream != null) {
                closeQuietly(upstream);
            }
        }
    }

    /** Reads an HTTP head byte by byte (so nothing after it is consumed), through the blank line. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            last4 = (last4 << 8) | b;
            if (last4 == 0x0D0A0D0A) {
                break;
            }
        }
        return head.toByteArray();
    }

    private void pipe(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[16384];
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void discard(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16384];
            while (in.read(buffer) != -1) {
                // swallowed
            }
        } catch (IOException e) {
            // closed
        } finally {
            closeQuietly(socket);
        }
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
        dropAll();
        threads.shutdownNow();
    }
}
