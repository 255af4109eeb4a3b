package io.parley.application.service;

/**
 * Limits on what one user may make, enforced by the use cases whatever the transport (WebSocket, SSE,
 * long-poll, REST). Rooms created per hour are counted in the core's {@code UsageCounters}: for the deployment
 * when they are shared (Redis), per node otherwise; members are counted in the store, so that limit holds for
 * the deployment (up to a few over when joins race).
 *
 * @param maxMembersPerRoom  members one room may have; a join or add beyond it gets {@code too_large}
 * @param roomsPerUserPerHour rooms one user may create per hour (at once, then at that rate); more get
 *                           {@code rate_limited}
 * @param searchesPerUserPerMinute searches one user may run per minute (at once, then at that rate), counted
 *                                 like rooms; more get {@code rate_limited}. A search reads every room of
 *                                 the user, so it is the one read that is limited
 */
public record UsageLimits(int maxMembersPerRoom, int roomsPerUserPerHour, int searchesPerUserPerMinute) {
    /** 10,000 members per room; 100 rooms per user per hour; 30 searches per user per minute. */
    public static final UsageLimits DEFAULTS = new UsageLimits(10_000, 100, 30);

    /** Validates the limits. */
    public UsageLimits {
        if (maxMembersPerRoom < 1 || roomsPerUserPerHour < 1 || searchesPerUserPerMinute < 1) {
            throw new IllegalArgumentException("usage limits must be positive");
        }
    }
}
