package io.parley.adapters.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Reads a public key from PEM text: a {@code PUBLIC KEY} block (X.509 SubjectPublicKeyInfo, what
 * {@code openssl pkey -pubout} writes) holding an RSA or EC key.
 */
final class PemPublicKeys {
    private static final String PUBLIC_KEY_BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String PUBLIC_KEY_END = "-----END PUBLIC KEY-----";

    private PemPublicKeys() {
    }

    /**
     * @param pem the PEM text
     * @return an RSA or EC public key
     * @throws IllegalArgumentException when the text holds no readable RSA or EC public key
     */
    static PublicKey parse(String pem) {
        int begin = pem.indexOf(PUBLIC_KEY_BEGIN);
        int end = pem.indexOf(PUBLIC_KEY_END);
        if (begin < 0 || end < begin) {
            // PKCS#1 "RSA PUBLIC KEY" blocks and certificates land here: convert them with openssl first.
            throw new IllegalArgumentException("public-key-pem must hold a '" + PUBLIC_KEY_BEGIN + "' block");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + PUBLIC_KEY_BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("public-key-pem is not valid base64", e);
        }
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(spec);
            } catch (GeneralSecurityException e) {
                // not this key type; try the next one
            }
        }
        throw new IllegalArgumentException("public-key-pem is neither an RSA nor an EC public key");
    }
}
