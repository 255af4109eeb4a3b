package io.parley.application;

import io.parley.application.port.out.IdGenerator;

import java.security.SecureRandom;
import java.util.Base64;

/** Random 128-bit ids, base64url without padding (22 characters): unique across nodes without coordination. */
public final class RandomIds implements IdGenerator {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private final SecureRandom random = new SecureRandom();

    private RandomIds() {
    }

    /** @return a generator */
    public static RandomIds create() {
        return new RandomIds();
    }

    @Override
    public String next() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }
}
