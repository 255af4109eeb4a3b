package io.parley.engine;

import io.parley.domain.Presence;
import io.parley.domain.UserId;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a session has told its client about other users' presence, so that the same status is not sent twice:
 * a user in several of the client's rooms is announced in each of them, and the client wants it once. Every
 * kind of session (live or resumable) filters by this rule. Not thread-safe; its session guards it.
 *
 * <p>Only changes are announced, each with the time it happened, and the copies of one change (one per
 * shared room) carry the same time. So a change need only be remembered until changes {@link #REMEMBERED}
 * newer than it come through: the filter forgets older ones, and a session that sees a stream of users come
 * and go (in a busy open room) holds only the recent ones, not every user it ever saw. Nodes whose clocks
 * differ by more than that could let a copy through twice.
 */
public final class PresenceFilter {
    /** How much older than the newest change a remembered change may be. */
    static final Duration REMEMBERED = Duration.ofMinutes(2);

    /** The last presence sent per user, least recently sent first. */
    private final LinkedHashMap<UserId, Presence> sent = new LinkedHashMap<>();

    /**
     * @param presence a user's presence about to be sent
     * @return whether it is news to the client (and is now remembered as sent)
     */
    public boolean isNews(Presence presence) {
        Presence before = sent.remove(presence.user()); // put again below: the user moves to the end
        sent.put(presence.user(), presence);
        forgetBefore(presence.lastSeen().minus(REMEMBERED));
        return !presence.equals(before);
    }

    /** @return how many users are remembered */
    int size() {
        return sent.size();
    }

    private void forgetBefore(Instant cutoff) {
        Iterator<Map.Entry<UserId, Presence>> oldestFirst = sent.entrySet().iterator();
        while (oldestFirst.hasNext() && oldestFirst.next().getValue().lastSeen().isBefore(cutoff)) {
            oldestFirst.remove();
        }
    }
}
