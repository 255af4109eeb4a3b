package io.parley.doctor;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection written by hand: the doctor must see exactly what a proxy answers (no redirect
 * followed, no header added, the upgrade's raw answer and the frames after it), which a convenient client hides.
 * Every read has a deadline.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** A response's head. */
    record Head(int status, String reason, Map<String, String> headers) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        boolean chunked() {
            return header("transfer-encoding").toLowerCase(Locale.ROOT).contains("chunked");
        }

        long contentLength() {
            try {
                return Long.parseLong(header("content-length").strip());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }

    /** A complete response: its head and (up to a limit) its body. */
    record Response(Head head, String body) {
        int status() {
            return head.status();
        }

        String header(String name) {
            return head.header(name);
        }

        boolean html() {
            return header("content-type").contains("text/html") || body.stripLeading().startsWith("<");
        }

        /** @return whether Parley wrote it: its errors are {@code {"error":{"code":…}}} JSON */
        boolean parleyError() {
            return body.contains("\"error\"") && body.contains("\"code\"");
        }
    }

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawHttp open(Target target, Tls tls, int timeoutMillis) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(target.host(), target.port()), timeoutMillis);
            plain.setSoTimeout(timeoutMillis);
            if (!target.tls()) {
                return new RawHttp(plain);
            }
            SSLSocketFactory factory = tls.context().getSocketFactory();
            SSLSocket secure = (SSLSocket) factory.createSocket(plain, target.host(), target.port(), true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            secure.setSSLParameters(parameters);
            secure.setSoTimeout(timeoutMillis);
            secure.startHandshake();
            return new RawHttp(secure);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** Sends a request without a body; {@code Host} comes first, the given headers after it. */
    void send(Target target, String method, String path, Map<String, String> headers) throws IOException {
        StringBuilder request = new StringBuilder(method).append(' ').append(target.prefix()).append(path)
                .append(" HTTP/1.1\r\nHost: ").append(target.authority()).append("\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Writes raw bytes (WebSocket frames after the upgrade). */
    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads the status line and the headers, within {@code deadlineNanos}. */
    Head head(long deadlineNanos) throws IOException {
        String status = line(deadlineNanos);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + shorten(status));
        }
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP response: " + shorten(status));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(deadlineNanos); !line.isEmpty(); line = line(deadlineNanos)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip(),
                        (a, b) -> a + ", " + b);
            }
        }
        return new Head(code, parts.length > 2 ? parts[2] : "", headers);
    }

    /** Reads a whole response (its body up to {@code maxBytes}). */
    Response response(long deadlineNanos, int maxBytes) throws IOException {
        Head head = head(deadlineNanos);
        return new Response(head, body(head, deadlineNanos, maxBytes));
    }

    /** Reads the body of {@code head}: by length, chunked, or up to the connection's end. */
    String body(Head head, long deadlineNanos, int maxBytes) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (head.chunked()) {
            while (body.size() < maxBytes) {
                String size = line(deadlineNanos);
                int semicolon = size.indexOf(';');
                int length = Integer.parseInt((semicolon >= 0 ? size.substring(0, semicolon) : size).strip(), 16);
                if (length == 0) {
                    break;
                }
                for (int i = 0; i < length; i++) {
                    int b = read(deadlineNanos);
                    if (body.size() < maxBytes) {
                        body.write(b);
                    }
                }
                line(deadlineNanos);
            }
        } else if (head.contentLength() >= 0) {
            for (long i = 0; i < head.contentLength(); i++) {
                int b = read(deadlineNanos);
                if (body.size() < maxBytes) {
                    body.write(b);
                }
            }
        } else if (head.status() != 101 && head.status() != 204 && head.status() != 304) {
            try {
                for (int b = readOrEnd(deadlineNanos); b >= 0 && body.size() < maxBytes; b = readOrEnd(deadlineNanos)) {
                    body.write(b);
                }
            } catch (SocketTimeoutException e) {
                // what came is enough to name the answer
            }
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    /** Reads one line of a response (its CRLF or LF removed). */
    String line(long deadlineNanos) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = read(deadlineNanos);
            if (b == '\n') {
                break;
            }
            if (line.size() < 64 * 1024) {
                line.write(b);
            }
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** Reads one byte; the connection's end is an {@link EOFException}. */
    int read(long deadlineNanos) throws IOException {
        int b = readOrEnd(deadlineNanos);
        if (b < 0) {
            throw new EOFException("the connection was closed");
        }
        return b;
    }

    private int readOrEnd(long deadlineNanos) throws IOException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        return in.read();
    }

    /** Reads exactly {@code n} bytes. */
    byte[] readFully(int n, long deadlineNanos) throws IOException {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) read(deadlineNanos);
        }
        return bytes;
    }

    static String shorten(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() > 120 ? flat.substring(0, 120) + "…" : flat;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a probe's socket: nothing to report
        }
    }
}
