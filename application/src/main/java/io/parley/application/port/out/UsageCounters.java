package io.parley.application.port.out;

/**
 * Counts behind the per-user limits, shared by every node of a deployment where the adapter can (Redis), so
 * that a limit holds for the deployment and not once per node. Two kinds:
 * <ul>
 *     <li>a <b>token bucket</b> per key ({@link #take}): rooms created per hour, commands per second;</li>
 *     <li>a <b>bounded set of held places</b> per key ({@link #hold}, {@link #release}): open WebSocket
 *     connections and SSE streams. A place is held until it is released or its node stops renewing it (a node
 *     that died), so a crash frees its places after a while.</li>
 * </ul>
 * Keys are chosen by the caller ({@code rooms:<user>}, {@code ws:<user>}); holders are unique ids (a session
 * id). {@code io.parley.application.LocalCounters} keeps them in this node's memory: the default, right for
 * one node, per node on several.
 */
public interface UsageCounters {
    /**
     * Takes up to {@code wanted} tokens from the bucket {@code key}, which holds at most {@code capacity} tokens
     * and fills at {@code perSecond}; a bucket not seen before (or long full) starts full.
     *
     * @param key       the bucket
     * @param wanted    tokens wanted, at least 1
     * @param capacity  the bucket's size (the burst)
     * @param perSecond how fast it fills
     * @return how many were taken, from 0 to {@code wanted}
     */
    int take(String key, int wanted, double capacity, double perSecond);

    /**
     * Holds a place under {@code key} for {@code holder}, if fewer than {@code max} are held (holding one that
     * is already held is a no-op that succeeds).
     *
     * @param key    the set
     * @param holder who holds it, unique within the deployment
     * @param max    how many places the set has
     * @return whether {@code holder} holds a place now
     */
    boolean hold(String key, String holder, int max);

    /**
     * Gives up a place; nothing happens if {@code holder} did not hold one.
     *
     * @param key    the set
     * @param holder who held it
     */
    void release(String key, String holder);

    /**
     * @param key the set
     * @return how many places are held under {@code key}
     */
    int held(String key);

    /** @return whether the counts are shared by every node ({@code false}: this node's own) */
    boolean shared();
}
