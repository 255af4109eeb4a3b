package io.parley.engine;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustedProxiesTest {
    private final TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8", "192.168.1.1", "fd00::/8"));

    @Test
    void a_connection_from_an_untrusted_address_is_its_own_client_whatever_it_claims() {
        assertEquals("198.51.100.7", proxies.clientAddress("198.51.100.7", Optional.of("203.0.113.1")));
        assertEquals("10.1.2.3", TrustedProxies.NONE.clientAddress("10.1.2.3", Optional.of("203.0.113.1")));
    }

    @Test
    void through_trusted_proxies_the_client_is_the_right_most_untrusted_hop() {
        assertEquals("203.0.113.1", proxies.clientAddress("10.1.2.3", Optional.of("203.0.113.1")));
        // The left-most entry came from the client itself: only the hops proxies appended are believed.
        assertEquals("198.51.100.9", proxies.clientAddress("10.1.2.3",
                Optional.of("1.2.3.4, 198.51.100.9, 192.168.1.1, 10.9.9.9")));
        assertEquals("2001:db8::1", proxies.clientAddress("fd00::5", Optional.of("2001:db8::1")));
    }

    @Test
    void a_chain_of_trusted_proxies_only_names_its_first_one() {
        assertEquals("10.0.0.1", proxies.clientAddress("10.1.2.3", Optional.of("10.0.0.1, 192.168.1.1")));
        assertEquals("10.1.2.3", proxies.clientAddress("10.1.2.3", Optional.empty()));
    }

    @Test
    void a_hop_that_is_not_an_address_ends_the_walk_and_is_never_looked_up() {
        assertEquals("10.1.2.3", proxies.clientAddress("10.1.2.3", Optional.of("unknown")));
        assertEquals("198.51.100.9", proxies.clientAddress("10.1.2.3",
                Optional.of("evil.example.com, 198.51.100.9")));
        assertEquals("10.1.2.3", proxies.clientAddress("10.1.2.3", Optional.of("<script>")));
        assertEquals("10.1.2.3", proxies.clientAddress("10.1.2.3", Optional.of("999.1.1.1")));
    }

    @Test
    void ranges_are_checked_when_configured() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrustedProxies.of(List.of("10.0.0.0/33")));
        assertTrue(e.getMessage().contains("prefix length"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of("proxy.internal")));
        assertEquals("172.16.5.5", TrustedProxies.of(List.of("172.16.0.0/12"))
                .clientAddress("172.31.255.255", Optional.of("172.16.5.5")), "172.16.5.5 is trusted too: first hop");
        assertEquals("172.32.0.1", TrustedProxies.of(List.of("172.16.0.0/12"))
                .clientAddress("172.16.0.1", Optional.of("172.32.0.1")));
    }
}
