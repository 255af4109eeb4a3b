package io.parley.engine;

import io.parley.domain.Presence;
import io.parley.domain.UserId;

import java.util.HashMap;
import java.util.Map;

/**
 * What a session has told its client about other users' presence, so that the same status is not sent twice:
 * a user in several of the client's rooms is announced in each of them, and the client wants it once. Every
 * kind of session (live or resumable) filters by this rule. Not thread-safe; its session guards it.
 */
public final class PresenceFilter {
    private final Map<UserId, Presence> sent = new HashMap<>();

    /**
     * @param presence a user's presence about to be sent
     * @return whether it is news to the client (and is now remembered as sent)
     */
    public boolean isNews(Presence presence) {
        return !presence.equals(sent.put(presence.user(), presence));
    }
}
