package io.parley.engine;

import io.parley.application.port.out.UsageCounters;
import io.parley.domain.UserId;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The command rate of each user over all their sessions, whatever the transport. Always counted on this node
 * (a {@link CommandBuckets} per user); when the core's {@link UsageCounters} are shared (Redis), also for the
 * deployment, without a round trip per command: a node takes a grant of a tenth of the burst from the user's
 * shared bucket when its grant runs out, and spends it locally. Over all nodes a user gets the rate, plus at
 * most one unspent grant per node.
 */
final class UserCommandBudget {
    private final CommandBuckets<UserId> local;
    private final UsageCounters counters;
    private final int perSecond;
    private final int burst;
    private final int grant;
    private final Map<UserId, AtomicInteger> granted = new ConcurrentHashMap<>();

    /**
     * @param perSecond commands per second per user
     * @param burst     commands at once per user
     * @param counters  the shared counts (or this node's, then only the local bucket counts)
     * @param millis    the time, in milliseconds
     */
    UserCommandBudget(int perSecond, int burst, UsageCounters counters, LongSupplier millis) {
        this.local = new CommandBuckets<>(perSecond, burst, millis);
        this.counters = counters;
        this.perSecond = perSecond;
        this.burst = burst;
        this.grant = Math.max(1, burst / 10);
    }

    /** @return whether one more command of {@code user} may run now (and counts it if so) */
    boolean tryAcquire(UserId user) {
        if (!local.tryAcquire(user)) {
            return false;
        }
        if (!counters.shared()) {
            return true;
        }
        AtomicInteger left = granted.computeIfAbsent(user, u -> new AtomicInteger());
        for (int n = left.get(); n > 0; n = left.get()) {
            if (left.compareAndSet(n, n - 1)) {
                return true;
            }
        }
        int got = counters.take("commands:" + user.value(), grant, burst, perSecond);
        if (got == 0) {
            return false;
        }
        left.addAndGet(got - 1);
        return true;
    }

    /** Forgets users whose local bucket has been full for {@code idleMillis}, and their grants. */
    void forgetIdle(long idleMillis) {
        local.forgetIdle(idleMillis);
        granted.keySet().removeIf(user -> !local.remembers(user));
    }
}
