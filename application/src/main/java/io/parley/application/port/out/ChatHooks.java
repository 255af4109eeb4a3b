package io.parley.application.port.out;

import io.parley.domain.MessageId;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.UserId;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decisions the embedding product owns, asked by the use cases before they act: a profanity or spam filter
 * on every message, a CRM's rule about who may be in a deal's room or open a conversation with whom. Every
 * method has an answer that allows, so an implementation overrides only what it decides; {@link #NONE}
 * decides nothing.
 *
 * <p>A hook is asked after Parley's own checks passed (input limits, membership, roles, bans, an archived
 * room) and before anything is stored, on the thread of the request, so it sees only attempts that would
 * otherwise succeed and what it refuses leaves no trace. Keep it fast: a send waits for it. A hook that
 * throws a {@link io.parley.domain.ParleyException} fails the request with its code (a backend that did not
 * answer: {@code unavailable}, which clients retry); any other exception fails it as an internal error.
 * Either way nothing is stored. A retried send (the same
 * {@code client_id}) asks again; one that was stored is answered with the stored message whatever the hook says
 * the second time.
 */
public interface ChatHooks {
    /** Allows everything. */
    ChatHooks NONE = new ChatHooks() {
    };

    /**
     * Several hooks asked in turn: a send goes through each, rewritten by one, it is what the next one sees;
     * the first refusal wins and the hooks after it are not asked.
     *
     * @param hooks the hooks, in the order to ask them
     * @return hooks that ask all of them
     */
    static ChatHooks chain(List<ChatHooks> hooks) {
        List<ChatHooks> all = List.copyOf(hooks);
        if (all.isEmpty()) {
            return NONE;
        }
        if (all.size() == 1) {
            return all.getFirst();
        }
        return new ChatHooks() {
            @Override
            public SendDecision beforeSend(SendAttempt attempt) {
                SendAttempt current = attempt;
                for (ChatHooks hook : all) {
                    SendDecision decision = hook.beforeSend(current);
                    if (decision instanceof SendDecision.Reject) {
                        return decision;
                    }
                    if (decision instanceof SendDecision.Rewrite rewrite) {
                        current = new SendAttempt(current.author(), current.room(), rewrite.body(), current.edits());
                    }
                }
                return current == attempt ? SendDecision.ALLOW : SendDecision.rewrite(current.body());
            }

            @Override
            public AccessDecision beforeJoin(JoinAttempt attempt) {
                return first(hook -> hook.beforeJoin(attempt));
            }

            @Override
            public AccessDecision beforeSubscribe(User user, RoomId room) {
                return first(hook -> hook.beforeSubscribe(user, room));
            }

            private AccessDecision first(Function<ChatHooks, AccessDecision> ask) {
                for (ChatHooks hook : all) {
                    AccessDecision decision = ask.apply(hook);
                    if (decision instanceof AccessDecision.Deny) {
                        return decision;
                    }
                }
                return AccessDecision.ALLOW;
            }
        };
    }

    /**
     * Before a message is posted or edited.
     *
     * @param attempt who writes what where
     * @return allow it, reject it (the sender gets {@code rejected} with the reason), or store another body
     */
    default SendDecision beforeSend(SendAttempt attempt) {
        return SendDecision.ALLOW;
    }

    /**
     * Before a user becomes a member of a room: joining an open room, being added, being an initial member of a
     * new room, or being in a direct conversation someone opens.
     *
     * @param attempt who joins which room, and how
     * @return allow it, or deny it (the caller gets {@code forbidden} with the reason)
     */
    default AccessDecision beforeJoin(JoinAttempt attempt) {
        return AccessDecision.ALLOW;
    }

    /**
     * Before a member's session subscribes to one room (not the inbox, which follows the rooms the user is a
     * member of: {@link #beforeJoin} decided those).
     *
     * @param user the subscriber, a member of the room
     * @param room the room to subscribe to
     * @return allow it, or deny it (the subscribe is answered {@code forbidden} with the reason)
     */
    default AccessDecision beforeSubscribe(User user, RoomId room) {
        return AccessDecision.ALLOW;
    }

    /**
     * A message about to be stored.
     *
     * @param author the sender (the message's author)
     * @param room   its room
     * @param body   its body, within the limits
     * @param edits  the message it replaces the body of, for an edit; empty for a new message
     */
    record SendAttempt(User author, RoomId room, String body, Optional<MessageId> edits) {
        /** Checks the parts. */
        public SendAttempt {
            Objects.requireNonNull(author, "author");
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(edits, "edits");
        }
    }

    /**
     * A membership about to begin.
     *
     * @param actor  who asks for it: the joiner for a join, else the one adding, creating or opening
     * @param joiner who becomes a member
     * @param room   the room (for a direct conversation, its id even before it exists)
     * @param way    how
     */
    record JoinAttempt(User actor, UserId joiner, RoomId room, Way way) {
        /** Checks the parts. */
        public JoinAttempt {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(joiner, "joiner");
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(way, "way");
        }

        /** How a user becomes a member. */
        public enum Way {
            /** The user joins an open room. */
            JOIN,
            /** An owner or admin adds the user. */
            ADD,
            /** The user is an initial member of a room being created (the creator is not asked about). */
            CREATE,
            /** The user is the other person of a direct conversation the actor opens. */
            DIRECT
        }
    }

    /** What to do with a message. */
    sealed interface SendDecision {
        /** Store it as it is. */
        SendDecision ALLOW = new Allow();

        /**
         * @param reason what the sender is told; keep it for people (no internals)
         * @return a refusal
         */
        static SendDecision reject(String reason) {
            return new Reject(reason);
        }

        /**
         * @param body what to store instead (it must stay within the body limits)
         * @return a rewrite
         */
        static SendDecision rewrite(String body) {
            return new Rewrite(body);
        }

        /** Store the message as sent. */
        record Allow() implements SendDecision {
        }

        /**
         * Refuse the message.
         *
         * @param reason what the sender is told
         */
        record Reject(String reason) implements SendDecision {
            /** Checks the reason. */
            public Reject {
                Objects.requireNonNull(reason, "reason");
            }
        }

        /**
         * Store another body.
         *
         * @param body the body to store
         */
        record Rewrite(String body) implements SendDecision {
            /** Checks the body. */
            public Rewrite {
                Objects.requireNonNull(body, "body");
            }
        }
    }

    /** Whether to let a user in. */
    sealed interface AccessDecision {
        /** Let the user in. */
        AccessDecision ALLOW = new Allow();

        /**
         * @param reason what the caller is told
         * @return a refusal
         */
        static AccessDecision deny(String reason) {
            return new Deny(reason);
        }

        /** Let the user in. */
        record Allow() implements AccessDecision {
        }

        /**
         * Keep the user out.
         *
         * @param reason what the caller is told
         */
        record Deny(String reason) implements AccessDecision {
            /** Checks the reason. */
            public Deny {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }
}
