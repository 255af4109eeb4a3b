package io.parley.application;

import io.parley.application.port.out.UsageCounters;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * {@link UsageCounters} in this node's memory: the default, exact on one node, per node on several. Buckets
 * that have filled up again are forgotten once many are remembered, so memory stays bounded by the keys
 * active within their refill time; an empty set of places is forgotten at once.
 */
public final class LocalCounters implements UsageCounters {
    private static final int FORGET_ABOVE = 10_000;

    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> places = new ConcurrentHashMap<>();

    private static final class Bucket {
        final double capacity;
        final double perNano;
        double tokens;
        long refilledAt;

        Bucket(double capacity, double perSecond, long now) {
            this.capacity = capacity;
            this.perNano = perSecond / 1e9;
            this.tokens = capacity;
            this.refilledAt = now;
        }

        void refill(long now) {
            long elapsed = now - refilledAt;
            if (elapsed > 0) {
                tokens = Math.min(capacity, tokens + elapsed * perNano);
                refilledAt = now;
            }
        }
    }

    private LocalCounters(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** @return counters on the system's monotonic clock */
    public static LocalCounters create() {
        return new LocalCounters(System::nanoTime);
    }

    /**
     * @param nanoTime a monotonic clock in nanoseconds (tests)
     * @return counters on that clock
     */
    public static LocalCounters create(LongSupplier nanoTime) {
        return new LocalCounters(nanoTime);
    }

    @Override
    public int take(String key, int wanted, double capacity, double perSecond) {
        long now = nanoTime.getAsLong();
        int[] taken = new int[1];
        buckets.compute(key, (k, bucket) -> {
            Bucket b = bucket == null ? new Bucket(capacity, perSecond, now) : bucket;
            b.refill(now);
            taken[0] = (int) Math.min(wanted, Math.floor(b.tokens));
            b.tokens -= taken[0];
            return b;
        });
        if (buckets.size() > FORGET_ABOVE) {
            forgetFull(now);
        }
        return taken[0];
    }

    @Override
    public boolean hold(String key, String holder, int max) {
        boolean[] held = new boolean[1];
        places.compute(key, (k, set) -> {
            Set<String> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            if (s.contains(holder) || s.size() < max) {
                s.add(holder);
                held[0] = true;
            }
            return s.isEmpty() ? null : s;
        });
        return held[0];
    }

    @Override
    public void release(String key, String holder) {
        places.computeIfPresent(key, (k, set) -> {
            set.remove(holder);
            return set.isEmpty() ? null : set;
        });
    }

    @Override
    public int held(String key) {
        Set<String> set = places.get(key);
        return set == null ? 0 : set.size();
    }

    @Override
    public boolean shared() {
        return false;
    }

    /** @return how many buckets and sets are remembered */
    int remembered() {
        return buckets.size() + places.size();
    }

    private void forgetFull(long now) {
        for (String key : buckets.keySet()) {
            buckets.computeIfPresent(key, (k, b) -> {
                b.refill(now);
                return b.tokens >= b.capacity ? null : b;
            });
        }
    }
}
