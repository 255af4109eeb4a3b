package io.parley.adapters.auth.archfixture;

import io.parley.application.port.out.TokenVerifier;

/**
 * Breaks {@code adapters_implement_ports_in_package_private_classes}: the port implementation itself is
 * public (final, so it keeps {@code adapters_are_package_private_except_their_entry_points}).
 */
public final class PublicTokenVerifier implements TokenVerifier {
    /** Creates the verifier. */
    public PublicTokenVerifier() {
    }

    @Override
    public VerifiedToken verify(String token) {
        throw new UnsupportedOperationException("fixture");
    }
}
