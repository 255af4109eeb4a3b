package io.parley.adapters.hooks;

import io.parley.application.port.out.ChatHooks;

/**
 * Entry point of the HTTP decision hooks: the product's backend decides sends, joins and subscribes (this
 * module's README has the protocol).
 */
public final class HttpHooks {
    private HttpHooks() {
    }

    /**
     * @param settings where and how to ask
     * @return hooks that ask the backend
     */
    public static ChatHooks create(HttpHooksSettings settings) {
        return new BackendHooks(settings);
    }

    /**
     * The signature header of a request: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}, as a backend
     * computes it to check one (the README shows it in Python and Node).
     *
     * @param secret the shared secret
     * @param time   the time, in seconds since the epoch
     * @param body   the request's body
     * @return the header's value
     */
    public static String signature(String secret, long time, String body) {
        return BackendHooks.signature(secret, time, body);
    }
}
