package io.parley.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The proxies whose {@code X-Forwarded-For} is believed, as address ranges (CIDR). A connection from one of
 * them carries its client's address in that header: the client is the right-most address in the header
 * that is not itself a trusted proxy (each proxy appends the address it received the request from, so
 * everything left of the first untrusted hop may be forged by the client). A connection from anywhere else
 * is its own client, whatever the header says. With no trusted proxies (the default) the header is ignored.
 */
public final class TrustedProxies {
    /** Trusts no proxy: the socket's peer is the client. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * @param cidrs ranges such as {@code 10.0.0.0/8}, {@code 127.0.0.1} (one address) or {@code ::1/128}
     * @return the trusted proxies
     * @throws IllegalArgumentException for a range that is not an IP address with an optional prefix length
     */
    public static TrustedProxies of(List<String> cidrs) {
        List<Range> ranges = new ArrayList<>();
        for (String cidr : cidrs) {
            ranges.add(Range.parse(cidr.strip()));
        }
        return new TrustedProxies(ranges);
    }

    /**
     * @param peer          the address the connection came from (the socket's remote address)
     * @param xForwardedFor the request's {@code X-Forwarded-For} header, if any
     * @return the client's address: {@code peer} unless it is a trusted proxy that says otherwise
     */
    public String clientAddress(String peer, Optional<String> xForwardedFor) {
        if (xForwardedFor.isEmpty() || !trusted(peer)) {
            return peer;
        }
        String[] hops = xForwardedFor.get().split(",");
        String client = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (literal(hop).isEmpty()) {
                return client; // not an address: stop at the last hop we could believe
            }
            client = hop;
            if (!trusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    /**
     * @param address an IP address literal (never looked up by name)
     * @return whether it is one of the trusted proxies
     */
    public boolean trusts(String address) {
        return trusted(address);
    }

    private boolean trusted(String address) {
        Optional<byte[]> bytes = literal(address);
        if (bytes.isEmpty()) {
            return false;
        }
        for (Range range : ranges) {
            if (range.contains(bytes.get())) {
                return true;
            }
        }
        return false;
    }

    /** The bytes of an IP address literal; never a name lookup. */
    private static Optional<byte[]> literal(String text) {
        String address = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (address.indexOf(':') < 0) {
            return ipv4(address);
        }
        if (!address.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
            return Optional.empty(); // a zone id, or anything else that is not a literal
        }
        try {
            // With a ':' and hex digits only, the JDK parses an IPv6 literal or fails; it never resolves it.
            return Optional.of(InetAddress.getByName(address).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Four decimal octets, nothing else (the JDK would resolve anything it does not take as a literal). */
    private static Optional<byte[]> ipv4(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) value;
        }
        return Optional.of(bytes);
    }

    private record Range(byte[] network, int prefix) {
        static Range parse(String cidr) {
            int slash = cidr.indexOf('/');
            String address = slash < 0 ? cidr : cidr.substring(0, slash);
            byte[] bytes = literal(address).orElseThrow(
                    () -> new IllegalArgumentException("trusted proxy '" + cidr + "': not an IP address"));
            int prefix = bytes.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(cidr.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("trusted proxy '" + cidr + "': the prefix length must be 0–"
                            + bytes.length * 8);
                }
            }
            return new Range(bytes, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
