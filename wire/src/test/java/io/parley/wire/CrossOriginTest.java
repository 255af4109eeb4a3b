package io.parley.wire;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrossOriginTest {
    @Test
    void a_browser_request_gets_its_origin_echoed_and_caches_are_told_it_varies() {
        assertEquals(Map.of("Access-Control-Allow-Origin", "https://app.example.com", "Vary", "Origin"),
                CrossOrigin.responseHeaders(Optional.of("https://app.example.com")));
    }

    @Test
    void a_request_without_an_origin_is_not_cross_origin_and_gets_no_cors_headers() {
        assertTrue(CrossOrigin.responseHeaders(Optional.empty()).isEmpty());
    }

    @Test
    void preflights_allow_the_paths_methods_the_token_header_and_no_credentials() {
        Map<String, String> rest = CrossOrigin.preflightHeaders(CrossOrigin.REST_METHODS);
        assertEquals(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"),
                List.of(rest.get("Access-Control-Allow-Methods").split(", ")));
        assertEquals(List.of("Authorization", "Content-Type", "Last-Event-ID"),
                List.of(rest.get("Access-Control-Allow-Headers").split(", ")));
        assertEquals("600", rest.get("Access-Control-Max-Age"));
        assertTrue(rest.keySet().stream().noneMatch(name -> name.contains("Credentials")));
        assertEquals("GET, POST, OPTIONS",
                CrossOrigin.preflightHeaders(CrossOrigin.STREAM_METHODS).get("Access-Control-Allow-Methods"));
    }
}
