package io.parley.domain;

/** A user's presence. {@code OFFLINE} is never set by a client: it means no live session anywhere. */
public enum PresenceStatus {
    /** At least one session is connected and active. */
    ONLINE,
    /** Connected, but every session says it is away. */
    AWAY,
    /** No live session on any node. */
    OFFLINE;

    /** @return the protocol spelling */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Combines per-session statuses into the user's status: online if any session is online, away if
     * all are away, offline when there is none.
     *
     * @param sessions the statuses of the user's live sessions
     * @return the user's status
     */
    public static PresenceStatus aggregate(Iterable<PresenceStatus> sessions) {
        PresenceStatus result = OFFLINE;
        for (PresenceStatus s : sessions) {
            if (s == ONLINE) {
                return ONLINE;
            }
            if (s == AWAY) {
                result = AWAY;
            }
        }
        return result;
    }
}
