package io.parley.bootstrap;

import io.parley.testservices.HttpsJwksServer;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A server configured with {@code parley.auth.jwks-url} takes tokens signed by the identity provider's key
 * over WebSocket, and after the provider rotates its key, tokens signed with the new key, without a restart.
 */
class JwksUrlServerTest {
    @TempDir
    Path dir;

    @Test
    void tokens_of_the_identity_providers_current_key_are_accepted_across_a_rotation_without_a_restart()
            throws Exception {
        RsaJsonWebKey first = key("2026-11");
        RsaJsonWebKey second = key("2026-12");
        try (HttpsJwksServer idp = HttpsJwksServer.start(dir)) {
            idp.serve(new JsonWebKeySet(List.of(first)).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
            TestServer server = TestServer.start(Map.of("parley.auth.jwks-url", idp.url().toString(),
                    "parley.auth.jwks-ca-file", idp.caFile().toString()));
            try {
                try (WsClient ws = WsClient.connect(server.ws(), token(first, "carla"), TestServer.ORIGIN)) {
                    assertEquals("carla", ws.expect("welcome").get("user").asText());
                }
                idp.serve(new JsonWebKeySet(List.of(second)).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
                try (WsClient ws = WsClient.connect(server.ws(), token(second, "dario"), TestServer.ORIGIN)) {
                    assertEquals("dario", ws.expect("welcome").get("user").asText());
                }
                String withdrawn = token(first, "emil");
                assertEquals(401, WsClient.refusedStatus(() -> WsClient.connect(server.ws(), withdrawn,
                        TestServer.ORIGIN)), "the withdrawn key signs nothing new");
                assertEquals(2, idp.fetches(), "fetched once at first use and once for the new kid");
            } finally {
                server.close();
            }
        }
    }

    private static RsaJsonWebKey key(String keyId) throws Exception {
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId(keyId);
        key.setUse("sig");
        return key;
    }

    private static String token(RsaJsonWebKey key, String user) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setSubject(user);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setPayload(claims.toJson());
        return jws.getCompactSerialization();
    }
}
