package io.parley.engine;

import io.parley.domain.Presence;
import io.parley.domain.UserId;

import java.time.Duration;
import java.time.Instant;

/**
 * What a session has told its client about other users' presence, so that the same status is not sent twice:
 * a user in several of the client's rooms is announced in each of them, and the client wants it once. Every
 * kind of session (live or resumable) filters by this rule. Not thread-safe; its session guards it.
 *
 * <p>Only changes are announced, each with the time it happened, and the copies of one change (one per
 * shared room) carry the same time. So a change need only be remembered until changes {@link #REMEMBERED}
 * newer than it come through: when its table is full, the filter forgets those older ones before it grows,
 * and a session that sees a stream of users come and go (in a busy open room) holds only the recent ones,
 * not every user it ever saw. It also forgets them, and shrinks the table to what is left, once changes
 * {@link #REMEMBERED} newer than its last such pass come through, so a table that grew in a storm (every
 * member of a large room coming online) does not stay that size. Nodes whose clocks differ by more than
 * that could let a copy through twice.
 *
 * <p>Every session holds one, so it is small: an open-addressing table of the presences sent, keyed by their
 * user (linear probing), one reference per user and no entry objects; none at all until the first presence,
 * and none while the session follows a single room, where copies cannot arrive.
 * A {@code LinkedHashMap} here held about 2.7 KiB per idle connection of the benchmark's connect storm.
 */
public final class PresenceFilter {
    /** How much older than the newest change a remembered change may be. */
    static final Duration REMEMBERED = Duration.ofMinutes(2);
    private static final int FIRST_CAPACITY = 8;

    /** The last presence sent per user; {@code null} slots are free. Its length is a power of two. */
    private Presence[] sent;
    private int size;
    private Instant newest = Instant.MIN;
    /**
     * A window after {@link #newest} as it was when the table was last rebuilt (old changes forgotten, its size
     * fitted): a change newer than this rebuilds it again. Kept as the sum, so the check per change allocates
     * nothing.
     */
    private Instant rebuildAfter = Instant.MIN;

    /**
     * @param presence a user's presence about to be sent
     * @param sources  how many of the session's subscriptions can bring it presence (its rooms, the inbox's
     *                 included): with one, no copy of a change can come from another room, so nothing is
     *                 remembered and what was is forgotten (a session in one large room would otherwise hold
     *                 an entry for every member who changed in the last {@link #REMEMBERED})
     * @return whether it is news to the client (and, with several sources, is now remembered as sent)
     */
    public boolean isNews(Presence presence, int sources) {
        if (sources <= 1) {
            sent = null;
            size = 0;
            newest = Instant.MIN;
            rebuildAfter = Instant.MIN;
            return true;
        }
        return isNews(presence);
    }

    /**
     * @param presence a user's presence about to be sent
     * @return whether it is news to the client (and is now remembered as sent)
     */
    boolean isNews(Presence presence) {
        if (sent == null) {
            sent = new Presence[FIRST_CAPACITY];
        }
        if (presence.lastSeen().isAfter(newest)) {
            newest = presence.lastSeen();
            if (size > 0 && newest.isAfter(rebuildAfter)) {
                rebuild(newest.minus(REMEMBERED)); // at most once per window of changes: cheap per change
            }
        }
        int slot = slotOf(sent, presence.user());
        Presence before = sent[slot];
        if (before == null) {
            if (size + 1 > sent.length * 3 / 4) {
                rebuild(newest.minus(REMEMBERED));
                slot = slotOf(sent, presence.user());
            }
            size++;
        }
        sent[slot] = presence;
        return !presence.equals(before);
    }

    /** @return how many users are remembered */
    int size() {
        return size;
    }

    /** @return the table's length, 0 before the first presence */
    int capacity() {
        return sent == null ? 0 : sent.length;
    }

    /**
     * Forgets the changes from before {@code cutoff}, and sizes the table so that what is left fills at most
     * half of it (larger or smaller than it was).
     */
    private void rebuild(Instant cutoff) {
        rebuildAfter = newest.plus(REMEMBERED);
        int live = 0;
        for (Presence p : sent) {
            if (p != null && !p.lastSeen().isBefore(cutoff)) {
                live++;
            }
        }
        int capacity = FIRST_CAPACITY;
        while (live + 1 > capacity / 2) {
            capacity *= 2;
        }
        Presence[] old = sent;
        sent = new Presence[capacity];
        size = 0;
        for (Presence p : old) {
            if (p != null && !p.lastSeen().isBefore(cutoff)) {
                sent[slotOf(sent, p.user())] = p;
                size++;
            }
        }
    }

    /** The slot that holds {@code user}'s presence, or the free slot where it goes. */
    private static int slotOf(Presence[] table, UserId user) {
        int mask = table.length - 1;
        int hash = user.hashCode();
        int i = (hash ^ (hash >>> 16)) & mask;
        while (table[i] != null && !table[i].user().equals(user)) {
            i = (i + 1) & mask;
        }
        return i;
    }
}
