/**
 * The JWT adapter behind {@link io.parley.application.port.out.TokenVerifier}: verifies bearer tokens
 * (HS256 secret, PEM public key or JWKS file) with jose4j and turns them into users.
 *
 * <p>Public: {@link io.parley.adapters.auth.JwtAuth} (the entry point), {@link io.parley.adapters.auth.JwtSettings}
 * (its configuration) and {@link io.parley.adapters.auth.DevTokens} (HS256 tokens for development).
 * Everything else is package-private.
 */
package io.parley.adapters.auth;
