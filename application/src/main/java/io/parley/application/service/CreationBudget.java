package io.parley.application.service;

import io.parley.domain.UserId;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * How many rooms each user may still create on this node: a token bucket per user holding
 * {@code perHour} rooms and filling at {@code perHour} an hour. Users whose bucket is full again are
 * forgotten once many are remembered, so memory stays bounded by the users active within the hour.
 */
final class CreationBudget {
    private static final int FORGET_ABOVE = 10_000;

    private final int perHour;
    private final LongSupplier millis;
    private final Map<UserId, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long refilledAt;
    }

    CreationBudget(int perHour, LongSupplier millis) {
        this.perHour = perHour;
        this.millis = millis;
    }

    /** @return whether the user may create one more room now (and counts it if so) */
    boolean take(UserId user) {
        long now = millis.getAsLong();
        boolean[] taken = new boolean[1];
        buckets.compute(user, (key, bucket) -> {
            Bucket b = bucket == null ? full(now) : bucket;
            refill(b, now);
            if (b.tokens >= 1) {
                b.tokens -= 1;
                taken[0] = true;
            }
            return b;
        });
        if (buckets.size() > FORGET_ABOVE) {
            forgetFull(now);
        }
        return taken[0];
    }

    /** @return how many users are remembered */
    int remembered() {
        return buckets.size();
    }

    private void forgetFull(long now) {
        for (UserId user : buckets.keySet()) {
            buckets.computeIfPresent(user, (key, b) -> {
                refill(b, now);
                return b.tokens >= perHour ? null : b;
            });
        }
    }

    private Bucket full(long now) {
        Bucket b = new Bucket();
        b.tokens = perHour;
        b.refilledAt = now;
        return b;
    }

    private void refill(Bucket b, long now) {
        long elapsed = now - b.refilledAt;
        if (elapsed > 0) {
            b.tokens = Math.min(perHour, b.tokens + elapsed * perHour / 3_600_000.0);
            b.refilledAt = now;
        }
    }
}
