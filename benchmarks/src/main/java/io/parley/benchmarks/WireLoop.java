package io.parley.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator's network side: one thread and one selector for every connection, speaking just
 * enough WebSocket (RFC 6455 client frames), SSE and HTTP/1.1 long-poll to carry protocol v1. It hands
 * the {@link Handler} each WebSocket text frame, each SSE event and each long-poll response body as raw
 * bytes, so finding a message's marker costs a byte scan and no JSON parsing or String.
 *
 * <p>Everything happens on the loop thread: the handler's callbacks, {@link #connect}, {@link #sendText}
 * and {@link #httpGet}. Other threads hand work over with {@link #execute}.
 */
final class WireLoop implements AutoCloseable {
    /** What the loop reports, on its own thread. */
    interface Handler {
        /** The WebSocket was upgraded, or the HTTP response's headers said 200. */
        void opened(Conn conn);

        /** One WebSocket text frame, one SSE event (its lines) or one long-poll response body. */
        void text(Conn conn, byte[] buf, int off, int len);

        /** The connection ended: a close frame's code, an HTTP status as {@code -status}, or 0 for EOF/error. */
        void closed(Conn conn, int code, String why);

        /** Called on every turn of the loop; returns when it next wants to be called (nanoTime). */
        long tick(long nowNanos);
    }

    /** The transport a connection speaks. */
    enum Kind { WEBSOCKET, SSE, POLL }

    private enum State { CONNECTING, HEADERS, FRAMES, BODY_CHUNKED, BODY_LENGTH, IDLE, CLOSED }

    private enum Chunk { SIZE, SIZE_LF, DATA, DATA_CR, DATA_LF }

    /** One connection. The handler keeps its own state in {@link #tag}, {@link #index} and {@link #room}. */
    final class Conn {
        final Kind kind;
        final int index;
        int room;
        Object tag;
        private final SocketChannel channel;
        private SelectionKey key;
        private State state = State.CONNECTING;
        private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>(2);
        private byte[] pending = EMPTY;
        private int pendingLength;
        private byte[] body = EMPTY;
        private int bodyLength;
        private long bodyRemaining;
        private Chunk chunk = Chunk.SIZE;
        private long chunkSize;
        private String request;

        private Conn(Kind kind, int index, SocketChannel channel) {
            this.kind = kind;
            this.index = index;
            this.channel = channel;
        }

        boolean open() {
            return state != State.CLOSED;
        }
    }

    private static final byte[] EMPTY = new byte[0];
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private final InetSocketAddress server;
    private final String hostHeader;
    private final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final byte[] readArray = new byte[256 * 1024];
    private final ByteBuffer readBuffer = ByteBuffer.wrap(readArray);
    private final Thread thread;
    private final boolean loopback;
    private Handler handler;
    private volatile boolean running = true;
    private int connects;

    private WireLoop(InetSocketAddress server) throws IOException {
        this.server = server;
        this.hostHeader = server.getHostString() + ":" + server.getPort();
        this.selector = Selector.open();
        this.loopback = server.getAddress().isLoopbackAddress() && server.getAddress().getAddress().length == 4;
        this.thread = new Thread(this::run, "wire-loop");
        this.thread.setDaemon(true);
    }

    static WireLoop start(InetSocketAddress server, Handler handler) {
        try {
            WireLoop loop = new WireLoop(server);
            loop.handler = handler;
            loop.thread.start();
            return loop;
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a selector", e);
        }
    }

    /** Runs {@code task} on the loop thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /**
     * Opens a connection (loop thread only): a WebSocket upgrade of {@code path}, an SSE stream, or a
     * long-poll connection whose first request is {@code path}. The token goes in the Authorization header.
     */
    Conn connect(Kind kind, int index, String path, String token) {
        try {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (loopback) {
                // spread client ports over many source addresses: 10k connections per scenario and server,
                // each leaving a TIME_WAIT behind, would use up one address's ephemeral ports
                int n = connects++ % 250;
                ch.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 1, (byte) (2 + n)}), 0));
            }
            Conn conn = new Conn(kind, index, ch);
            conn.request = request(kind, path, token);
            conn.key = ch.register(selector, SelectionKey.OP_CONNECT, conn);
            if (ch.connect(server)) {
                connected(conn);
            }
            return conn;
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to " + server + ": " + e.getMessage(), e);
        }
    }

    private String request(Kind kind, String path, String token) {
        StringBuilder r = new StringBuilder(256).append("GET ").append(path).append(" HTTP/1.1\r\nHost: ")
                .append(hostHeader).append("\r\nAuthorization: Bearer ").append(token).append("\r\n");
        switch (kind) {
            case WEBSOCKET -> r.append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ")
                    .append(KEY).append("\r\nSec-WebSocket-Version: 13\r\n");
            case SSE -> r.append("Accept: text/event-stream\r\n");
            case POLL -> r.append("Accept: application/json\r\n");
        }
        return r.append("\r\n").toString();
    }

    /** Sends one WebSocket text frame (loop thread only), masked with a zero key so nothing is copied twice. */
    void sendText(Conn conn, byte[] payload) {
        write(conn, frame(0x1, payload));
    }

    /** Issues the next long-poll request on a kept-alive connection (loop thread only). */
    void httpGet(Conn conn, String path, String token) {
        conn.state = State.HEADERS;
        write(conn, ByteBuffer.wrap(request(Kind.POLL, path, token).getBytes(StandardCharsets.US_ASCII)));
    }

    /** Sends a close frame 1000 (WebSocket) and then drops the connection when the server answers. */
    void closeGracefully(Conn conn) {
        if (conn.kind == Kind.WEBSOCKET && conn.state == State.FRAMES) {
            write(conn, frame(0x8, new byte[] {0x03, (byte) 0xE8}));
        } else {
            drop(conn, 1000, "closed by the client");
        }
    }

    /** Drops a connection without a word (loop thread only). */
    void drop(Conn conn) {
        drop(conn, 0, "dropped by the client");
    }

    static ByteBuffer frame(int opcode, byte[] payload) {
        int len = payload.length;
        int header = len < 126 ? 2 : len < 65536 ? 4 : 10;
        ByteBuffer b = ByteBuffer.allocate(header + 4 + len);
        b.put((byte) (0x80 | opcode));
        if (len < 126) {
            b.put((byte) (0x80 | len));
        } else if (len < 65536) {
            b.put((byte) (0x80 | 126)).putShort((short) len);
        } else {
            b.put((byte) (0x80 | 127)).putLong(len);
        }
        b.putInt(0); // masking key 0: the payload goes as it is
        b.put(payload);
        return b.flip();
    }

    private void write(Conn conn, ByteBuffer buffer) {
        if (conn.state == State.CLOSED) {
            return;
        }
        if (!conn.out.isEmpty() || conn.state == State.CONNECTING) {
            conn.out.add(buffer);
            return;
        }
        try {
            conn.channel.write(buffer);
            if (buffer.hasRemaining()) {
                conn.out.add(buffer);
                conn.key.interestOps(conn.key.interestOps() | SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            drop(conn, 0, "write failed: " + e.getMessage());
        }
    }

    private void run() {
        long next = System.nanoTime();
        while (running) {
            try {
                long wait = next - System.nanoTime();
                if (wait > 2_000_000) {
                    selector.select(this::handle, Math.min(100, wait / 1_000_000 - 1));
                } else if (selector.selectNow(this::handle) == 0 && tasks.isEmpty() && wait > 0) {
                    LockSupport.parkNanos(Math.min(wait, 100_000));
                }
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                next = handler.tick(System.nanoTime());
            } catch (IOException | RuntimeException e) {
                if (running) {
                    System.err.println("load generator loop: " + e);
                    e.printStackTrace();
                }
            }
        }
    }

    private void handle(SelectionKey key) {
        Conn conn = (Conn) key.attachment();
        if (!key.isValid()) {
            return;
        }
        try {
            if (key.isConnectable()) {
                if (conn.channel.finishConnect()) {
                    connected(conn);
                }
                return;
            }
            if (key.isWritable()) {
                flush(conn);
            }
            if (key.isValid() && key.isReadable()) {
                read(conn);
            }
        } catch (IOException e) {
            drop(conn, 0, e.getMessage());
        }
    }

    private void connected(Conn conn) throws IOException {
        conn.state = State.HEADERS;
        conn.key.interestOps(SelectionKey.OP_READ);
        ByteBuffer req = ByteBuffer.wrap(conn.request.getBytes(StandardCharsets.US_ASCII));
        conn.request = null;
        ArrayDeque<ByteBuffer> queued = new ArrayDeque<>(conn.out);
        conn.out.clear();
        write(conn, req);
        for (ByteBuffer b : queued) {
            write(conn, b);
        }
    }

    private void flush(Conn conn) throws IOException {
        while (!conn.out.isEmpty()) {
            ByteBuffer b = conn.out.peek();
            conn.channel.write(b);
            if (b.hasRemaining()) {
                return;
            }
            conn.out.poll();
        }
        conn.key.interestOps(SelectionKey.OP_READ);
    }

    private void read(Conn conn) throws IOException {
        for (int turns = 0; turns < 8 && conn.state != State.CLOSED; turns++) {
            readBuffer.clear();
            int n = conn.channel.read(readBuffer);
            if (n < 0) {
                drop(conn, 0, "EOF");
                return;
            }
            if (n == 0) {
                return;
            }
            bytes(conn, readArray, 0, n);
            if (n < readArray.length) {
                return;
            }
        }
    }

    private void bytes(Conn conn, byte[] b, int off, int end) {
        if (conn.pendingLength > 0) {
            int total = conn.pendingLength + (end - off);
            if (conn.pending.length < total) {
                conn.pending = Arrays.copyOf(conn.pending, Math.max(total, conn.pending.length * 2));
            }
            System.arraycopy(b, off, conn.pending, conn.pendingLength, end - off);
            b = conn.pending;
            off = 0;
            end = total;
            conn.pendingLength = 0;
        }
        int pos = off;
        while (pos < end && conn.state != State.CLOSED) {
            int used = switch (conn.state) {
                case HEADERS -> headers(conn, b, pos, end);
                case FRAMES -> frames(conn, b, pos, end);
                case BODY_CHUNKED -> chunked(conn, b, pos, end);
                case BODY_LENGTH -> sized(conn, b, pos, end);
                case IDLE, CONNECTING, CLOSED -> end - pos; // nothing is expected: ignore
            };
            if (used == 0) {
                break;
            }
            pos += used;
        }
        if (pos < end && conn.state != State.CLOSED) {
            int left = end - pos;
            if (conn.pending.length < left) {
                conn.pending = new byte[Math.max(left, 1024)];
            }
            System.arraycopy(b, pos, conn.pending, 0, left);
            conn.pendingLength = left;
        }
    }

    /** @return bytes used: the whole header block, or 0 while it is incomplete */
    private int headers(Conn conn, byte[] b, int pos, int end) {
        int stop = indexOf(b, pos, end, new byte[] {'\r', '\n', '\r', '\n'});
        if (stop < 0) {
            return 0;
        }
        String head = new String(b, pos, stop - pos, StandardCharsets.ISO_8859_1);
        int used = stop + 4 - pos;
        int lineEnd = head.indexOf('\r');
        String statusLine = lineEnd < 0 ? head : head.substring(0, lineEnd);
        String[] parts = statusLine.split(" ", 3);
        int status = parts.length > 1 ? parseIntOr(parts[1], 0) : 0;
        int expected = conn.kind == Kind.WEBSOCKET ? 101 : 200;
        if (status != expected) {
            drop(conn, -status, statusLine);
            return used;
        }
        String lower = head.toLowerCase();
        if (conn.kind == Kind.WEBSOCKET) {
            conn.state = State.FRAMES;
        } else if (lower.contains("transfer-encoding: chunked")) {
            conn.state = State.BODY_CHUNKED;
            conn.chunk = Chunk.SIZE;
            conn.chunkSize = 0;
        } else {
            int at = lower.indexOf("content-length:");
            conn.bodyRemaining = at < 0 ? Long.MAX_VALUE
                    : Long.parseLong(lower.substring(at + 15, lower.indexOf('\r', at) < 0 ? lower.length() : lower.indexOf('\r', at)).trim());
            conn.state = State.BODY_LENGTH;
        }
        conn.bodyLength = 0;
        handler.opened(conn);
        if (conn.state == State.BODY_LENGTH && conn.bodyRemaining == 0) {
            bodyDone(conn);
        }
        return used;
    }

    private int frames(Conn conn, byte[] b, int pos, int end) {
        int start = pos;
        while (end - pos >= 2 && conn.state == State.FRAMES) {
            int opcode = b[pos] & 0x0F;
            boolean masked = (b[pos + 1] & 0x80) != 0;
            long len = b[pos + 1] & 0x7F;
            int header = 2;
            if (len == 126) {
                if (end - pos < 4) {
                    break;
                }
                len = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
                header = 4;
            } else if (len == 127) {
                if (end - pos < 10) {
                    break;
                }
                len = 0;
                for (int i = 2; i < 10; i++) {
                    len = (len << 8) | (b[pos + i] & 0xFF);
                }
                header = 10;
            }
            if (masked) {
                header += 4;
            }
            if (end - pos < header + len) {
                break;
            }
            int payload = pos + header;
            int length = (int) len;
            if (masked) {
                for (int i = 0; i < length; i++) {
                    b[payload + i] ^= b[pos + header - 4 + (i & 3)];
                }
            }
            switch (opcode) {
                case 0x0, 0x1, 0x2 -> handler.text(conn, b, payload, length);
                case 0x8 -> {
                    int code = length >= 2 ? ((b[payload] & 0xFF) << 8) | (b[payload + 1] & 0xFF) : 1005;
                    String why = length > 2 ? new String(b, payload + 2, length - 2, StandardCharsets.UTF_8) : "";
                    pos += header + length;
                    drop(conn, code, why);
                    return pos - start;
                }
                case 0x9 -> write(conn, frame(0xA, Arrays.copyOfRange(b, payload, payload + length)));
                default -> {
                    // pong: nothing to do
                }
            }
            pos += header + length;
        }
        return pos - start;
    }

    private int chunked(Conn conn, byte[] b, int pos, int end) {
        int start = pos;
        while (pos < end && conn.state == State.BODY_CHUNKED) {
            switch (conn.chunk) {
                case SIZE -> {
                    byte c = b[pos++];
                    if (c == '\r') {
                        conn.chunk = Chunk.SIZE_LF;
                    } else if (c != ';') {
                        int digit = Character.digit(c, 16);
                        if (digit >= 0) {
                            conn.chunkSize = conn.chunkSize * 16 + digit;
                        }
                    }
                }
                case SIZE_LF -> {
                    pos++;
                    if (conn.chunkSize == 0) {
                        conn.chunk = Chunk.DATA_CR;
                        conn.chunkSize = -1; // the last chunk: the CRLF after it ends the body
                    } else {
                        conn.chunk = Chunk.DATA;
                    }
                }
                case DATA -> {
                    int n = (int) Math.min(conn.chunkSize, end - pos);
                    appendBody(conn, b, pos, n);
                    pos += n;
                    conn.chunkSize -= n;
                    if (conn.chunkSize == 0) {
                        conn.chunk = Chunk.DATA_CR;
                    }
                    if (conn.kind == Kind.SSE) {
                        sseEvents(conn);
                    }
                }
                case DATA_CR -> {
                    pos++;
                    conn.chunk = Chunk.DATA_LF;
                }
                case DATA_LF -> {
                    pos++;
                    boolean last = conn.chunkSize == -1;
                    conn.chunk = Chunk.SIZE;
                    conn.chunkSize = 0;
                    if (last) {
                        bodyDone(conn);
                    }
                }
            }
        }
        return pos - start;
    }

    private int sized(Conn conn, byte[] b, int pos, int end) {
        int n = (int) Math.min(conn.bodyRemaining, end - pos);
        appendBody(conn, b, pos, n);
        conn.bodyRemaining -= n;
        if (conn.kind == Kind.SSE) {
            sseEvents(conn);
        } else if (conn.bodyRemaining == 0) {
            bodyDone(conn);
        }
        return n;
    }

    private void appendBody(Conn conn, byte[] b, int pos, int n) {
        if (conn.body.length < conn.bodyLength + n) {
            conn.body = Arrays.copyOf(conn.body, Math.max(conn.bodyLength + n, Math.max(4096, conn.body.length * 2)));
        }
        System.arraycopy(b, pos, conn.body, conn.bodyLength, n);
        conn.bodyLength += n;
    }

    /** Hands over every complete SSE event (ended by a blank line) and keeps the rest. */
    private void sseEvents(Conn conn) {
        int from = 0;
        while (true) {
            int stop = indexOf(conn.body, from, conn.bodyLength, new byte[] {'\n', '\n'});
            if (stop < 0) {
                break;
            }
            handler.text(conn, conn.body, from, stop - from);
            from = stop + 2;
            if (conn.state == State.CLOSED) {
                return;
            }
        }
        if (from > 0) {
            System.arraycopy(conn.body, from, conn.body, 0, conn.bodyLength - from);
            conn.bodyLength -= from;
        }
    }

    private void bodyDone(Conn conn) {
        if (conn.kind == Kind.SSE) {
            sseEvents(conn);
            drop(conn, 0, "stream ended");
            return;
        }
        conn.state = State.IDLE;
        int length = conn.bodyLength;
        conn.bodyLength = 0;
        handler.text(conn, conn.body, 0, length);
    }

    private void drop(Conn conn, int code, String why) {
        if (conn.state == State.CLOSED) {
            return;
        }
        conn.state = State.CLOSED;
        conn.out.clear();
        conn.pending = EMPTY;
        conn.body = EMPTY;
        conn.key.cancel();
        try {
            conn.channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        handler.closed(conn, code, why);
    }

    static int indexOf(byte[] b, int from, int end, byte[] what) {
        outer:
        for (int i = from; i <= end - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int parseIntOr(String s, int fallback) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
