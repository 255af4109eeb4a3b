package io.parley.doctor;

import java.net.URI;
import java.util.Locale;

/**
 * Where the deployment is, as a client would reach it: the scheme says whether TLS is used ({@code https} and
 * {@code wss} do), and the path is the prefix Parley's endpoints sit under ({@code /chat} for
 * {@code https://example.com/chat/v1/ws}). A URL given with Parley's own paths ({@code …/v1/ws}) is taken back to
 * its prefix.
 *
 * @param original the URL as given
 * @param tls      whether the connection uses TLS
 * @param host     the host name
 * @param port     the port
 * @param prefix   the path before {@code /v1/…}, without a trailing slash ({@code ""} at the root)
 */
record Target(String original, boolean tls, String host, int port, String prefix) {

    static Target parse(String url) {
        String text = url.strip();
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = switch (scheme) {
            case "https", "wss" -> true;
            case "http", "ws" -> false;
            default -> throw new IllegalArgumentException("the URL must start with http://, https://, ws:// or wss://: "
                    + url);
        };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in " + url);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        for (String endpoint : new String[] {"/v1/ws", "/v1/events", "/v1/poll", "/v1/rooms", "/v1/", "/parley.js"}) {
            int at = path.indexOf(endpoint);
            if (at >= 0) {
                path = path.substring(0, at);
                break;
            }
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new Target(url, tls, uri.getHost(), port, path);
    }

    /** @return the {@code Host} header value */
    String authority() {
        boolean defaultPort = tls ? port == 443 : port == 80;
        String name = host.contains(":") ? "[" + host + "]" : host;
        return defaultPort ? name : name + ":" + port;
    }

    /** @return the URL of a path under the prefix, with the HTTP scheme */
    String http(String path) {
        return (tls ? "https://" : "http://") + authority() + prefix + path;
    }

    /** @return the URL of a path under the prefix, with the WebSocket scheme */
    String ws(String path) {
        return (tls ? "wss://" : "ws://") + authority() + prefix + path;
    }
}
