// Types of parley.js, the Parley browser client. Built by scripts/build.mjs from src/: edit those files, then run `npm run build`.

/**
 * Typing indicator state of one room: `active: true` when typing starts and again every `renewMs` while it
 * goes on (the server ends typing 3 s after the last one), `active: false` after `idleMs` without a keystroke.
 */
declare class TypingState {
    /** @param {{ renewMs?: number, idleMs?: number }} [options] */
    constructor({ renewMs, idleMs }?: {
        renewMs?: number;
        idleMs?: number;
    });
    renewMs: number;
    idleMs: number;
    active: boolean;
    lastSentAt: number;
    lastKeyAt: number;
    /** The client's pending idle check. @type {unknown} */
    timer: unknown;
    /**
     * A keystroke at `now`.
     * @param {number} now
     * @returns {boolean} true when `active: true` must be sent
     */
    keystroke(now: number): boolean;
    /**
     * @param {number} now
     * @returns {boolean} true when the user stopped typing by `now` and `active: false` must be sent
     */
    idle(now: number): boolean;
    /**
     * Typing stops now (a message was sent).
     * @returns {boolean} true when `active: false` must be sent
     */
    stop(): boolean;
}

/**
 * A fresh client_id for an idempotent send.
 * @returns {string}
 */
declare function newClientId(): string;
/** A server error reply ('forbidden', 'not_found', 'invalid', …) or a client-side failure ('closed'). */
declare class ParleyError extends Error {
    /**
     * @param {string} code
     * @param {string} [message]
     * @param {{ closeCode?: number, status?: number, command?: string, room?: string }} [details]
     */
    constructor(code: string, message?: string, details?: {
        closeCode?: number;
        status?: number;
        command?: string;
        room?: string;
    });
    /** @readonly */
    readonly code: string;
    /** The WebSocket close code, when the server closed the connection. @readonly @type {number | undefined} */
    readonly closeCode: number | undefined;
    /** The HTTP status, when an HTTP request of the client failed. @readonly @type {number | undefined} */
    readonly status: number | undefined;
    /** The command the server refused. @readonly @type {string | undefined} */
    readonly command: string | undefined;
    /** The room of that command. @readonly @type {string | undefined} */
    readonly room: string | undefined;
}

/** Transports in the order the client tries them; 'auto' tries all three and re-probes WebSocket. */
type TransportName = 'websocket' | 'sse' | 'poll';
interface ParleyOptions {
    /** Server base URL, e.g. 'https://chat.example.com'. Default: the page's origin. */
    url?: string;
    /** A JWT, or a function returning one (called again after the server rejects a token). */
    token: string | (() => string | Promise<string>);
    /** 'auto' (default): WebSocket, then SSE, then long-poll. Any other value forces that transport. */
    transport?: 'auto' | TransportName | 'long-poll';
    /**
     * Default true: WebSocket and SSE URLs carry a single-use connect ticket (POST /v1/tickets with the token
     * in a header) instead of the token, which URLs leak to proxy logs, history and Referer. A server without
     * tickets (404) gets `access_token` as before; false always sends `access_token`.
     */
    tickets?: boolean;
    /** A transport that delivers no `welcome` within this counts as failed. Default 5000. */
    welcomeTimeoutMs?: number;
    /**
     * While on a fallback, how often WebSocket is tried again. Default 30000. After a WebSocket connection
     * was lost and a fallback got through while WebSocket was refused, the first try comes within 1-2 s.
     */
    reprobeMs?: number;
    /** Reconnect backoff: full jitter below min(cap, base * 2^attempt). Defaults 500 and 30000. */
    backoffBaseMs?: number;
    backoffCapMs?: number;
    /** A ping unanswered (no frame at all) for this long means the connection is dead. Default 10000. */
    pongTimeoutMs?: number;
    /** How often liveness is checked (a ping sent when the connection has been quiet). Default 1000. */
    livenessCheckMs?: number;
    /** SSE and long-poll: a command POST that takes longer fails and its commands are sent again. Default 30000. */
    commandTimeoutMs?: number;
    /** Long-poll wait in seconds. Default 25. */
    pollWaitSeconds?: number;
    /** Typing: renew `active: true` this often while typing (default 2000); stop after this pause (2500). */
    typingRenewMs?: number;
    typingIdleMs?: number;
    /** For tests and non-browser runtimes: replacements for the globals. */
    WebSocket?: unknown;
    EventSource?: unknown;
    fetch?: typeof fetch;
    timers?: {
        now(): number;
        setTimeout(fn: () => void, ms: number): unknown;
        clearTimeout(id: unknown): void;
    };
    random?: () => number;
}
type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';
interface ConnectionState {
    status: ConnectionStatus;
    /** The transport in use, when connected. */
    transport?: TransportName;
    session?: string;
    resumed?: boolean;
    /** When reconnecting: the delay before the next attempt, and which attempt it is. */
    retryInMs?: number;
    attempt?: number;
    reason?: string;
    error?: ParleyError;
}
interface ConnectedInfo {
    transport: TransportName;
    session: string;
    user: string;
    resumed: boolean;
}
interface Message {
    id: string;
    room: string;
    seq: number;
    author: string;
    author_name: string;
    body: string | null;
    attachment_url: string | null;
    sent_at: string;
    edited_at: string | null;
    deleted: boolean;
    /** The message it answers, as that message is now (absent when it answers none). */
    reply_to?: {
        id: string;
        author: string;
        author_name: string;
        excerpt: string | null;
        deleted: boolean;
    };
    /** Users it mentions (absent when none): a client marks a message that mentions its user. */
    mentions?: string[];
    /** In history only (absent when none): each emoji with its count and whether the reader gave it. */
    reactions?: Array<{
        emoji: string;
        count: number;
        me: boolean;
    }>;
}
interface MessageEvent {
    type: 'message';
    room: string;
    seq: number;
    message: Message;
}
interface MessageEditedEvent {
    type: 'message_edited';
    room: string;
    seq: number;
    message_id: string;
    body: string;
    edited_at: string;
}
interface MessageDeletedEvent {
    type: 'message_deleted';
    room: string;
    seq: number;
    message_id: string;
}
interface MemberJoinedEvent {
    type: 'member_joined';
    room: string;
    seq: number;
    user: string;
}
interface MemberLeftEvent {
    type: 'member_left';
    room: string;
    seq: number;
    user: string;
}
interface ReadEvent {
    type: 'read';
    room: string;
    seq: number;
    user: string;
    up_to: number;
}
/** A room's settings as its owner left them (REST: `GET /v1/rooms/{room}`, the room list, `room_updated`). */
interface RoomSettings {
    name: string;
    visibility: 'open' | 'private';
    topic: string | null;
    avatar_url: string | null;
    /** The embedding product's own keys and values. */
    metadata: Record<string, string>;
    /** Read-only until unarchived: sends, edits, deletes, joins and typing are refused. */
    archived: boolean;
}
/** A room as the REST API returns it (`GET /v1/rooms`, `GET /v1/rooms/{room}`, `PUT /v1/direct/{user}`). */
interface RoomInfo extends RoomSettings {
    id: string;
    /** `direct`: a one-to-one conversation, named after `peer`. */
    kind: 'group' | 'direct';
    peer?: {
        user: string;
        display_name: string;
        status: 'online' | 'away' | 'offline';
        last_seen: string;
    };
    owner: string;
    created_at: string;
    last_seq: number;
    /** In the room list only. */
    last_event_at?: string;
    read_up_to?: number;
    unread?: number;
    mentions?: number;
}
/** A member's role changed; `role: 'owner'` is a hand-over, after which `by` (the owner until then) is an admin. */
interface RoleChangedEvent {
    type: 'role_changed';
    room: string;
    seq: number;
    user: string;
    role: 'owner' | 'admin' | 'member';
    by: string;
}
/** A user was banned; a member stops being one (their sessions get nothing more from the room). */
interface MemberBannedEvent {
    type: 'member_banned';
    room: string;
    seq: number;
    user: string;
    by: string;
}
interface MemberUnbannedEvent {
    type: 'member_unbanned';
    room: string;
    seq: number;
    user: string;
    by: string;
}
interface ReactionAddedEvent {
    type: 'reaction_added';
    room: string;
    seq: number;
    message_id: string;
    emoji: string;
    user: string;
}
interface ReactionRemovedEvent {
    type: 'reaction_removed';
    room: string;
    seq: number;
    message_id: string;
    emoji: string;
    user: string;
}
/** The room was deleted: its last event. Nothing more comes from it, and it is not found from now on. */
interface RoomDeletedEvent {
    type: 'room_deleted';
    room: string;
    seq: number;
    by: string;
}
interface RoomUpdatedEvent extends RoomSettings {
    type: 'room_updated';
    room: string;
    seq: number;
    by: string;
    changed: Array<'name' | 'visibility' | 'topic' | 'avatar_url' | 'metadata' | 'archived'>;
    updated_at: string;
}
interface TypingEvent {
    type: 'typing';
    room: string;
    user: string;
    active: boolean;
}
interface PresenceEvent {
    type: 'presence';
    user: string;
    status: 'online' | 'away' | 'offline';
    last_seen: string;
}
type DurableEvent = MessageEvent | MessageEditedEvent | MessageDeletedEvent | MemberJoinedEvent | MemberLeftEvent | ReadEvent | RoomUpdatedEvent | RoleChangedEvent | MemberBannedEvent | MemberUnbannedEvent | ReactionAddedEvent | ReactionRemovedEvent | RoomDeletedEvent;
type RoomEvent = DurableEvent | TypingEvent | PresenceEvent;
/** The first frame of every connection. */
interface Welcome {
    type: 'welcome';
    session: string;
    /** Absent only in the welcome the long-poll transport makes up when it resumes its own session. */
    user?: string;
    transport: 'websocket' | 'sse' | 'long-poll';
    heartbeat_ms?: number;
    resumed: boolean;
}
/** An error reply to a command (with its `ref`) or a connection-level error (without). */
interface ErrorFrame {
    type: 'error';
    ref?: string;
    code: string;
    message?: string;
}
/**
 * Any frame the server sends: events, replies and the welcome. The client reads the fields it knows and
 * ignores the rest, so a newer server's additions do no harm.
 */
interface WireFrame {
    type: string;
    ref?: string;
    room?: string;
    seq?: number;
    [field: string]: any;
}
interface SubscribeAck {
    type: 'ack';
    ref: string;
    /** Room subscriptions. */
    room?: string;
    last_seq?: number;
    replayed?: number;
    complete?: boolean;
    /** Inbox subscriptions. */
    rooms?: Array<{
        room: string;
        last_seq: number;
        replayed: number;
        complete: boolean;
    }>;
}
/** Functions called for a subscription's events, by type; `event` gets every one. */
interface RoomHandlers {
    message?(event: MessageEvent): void;
    message_edited?(event: MessageEditedEvent): void;
    message_deleted?(event: MessageDeletedEvent): void;
    member_joined?(event: MemberJoinedEvent): void;
    member_left?(event: MemberLeftEvent): void;
    read?(event: ReadEvent): void;
    room_updated?(event: RoomUpdatedEvent): void;
    role_changed?(event: RoleChangedEvent): void;
    reaction_added?(event: ReactionAddedEvent): void;
    reaction_removed?(event: ReactionRemovedEvent): void;
    member_banned?(event: MemberBannedEvent): void;
    member_unbanned?(event: MemberUnbannedEvent): void;
    room_deleted?(event: RoomDeletedEvent): void;
    typing?(event: TypingEvent): void;
    presence?(event: PresenceEvent): void;
    event?(event: RoomEvent): void;
    /** The subscription was refused (forbidden, not_found). */
    error?(error: ParleyError): void;
    /** Same as the `after` option. */
    after?: number | Record<string, number>;
}
interface SubscribeOptions {
    /** Replay what came after this seq (for '*': a map room id → seq). Default: live only. */
    after?: number | Record<string, number>;
}
interface Subscription {
    room: string;
    /** Resolves with the first ack; rejects if the server refuses the subscription. */
    ready: Promise<SubscribeAck>;
    unsubscribe(): void;
}
interface ClientEvents {
    state: ConnectionState;
    connected: ConnectedInfo;
    disconnected: {
        code: number;
        reason: string;
    };
    reconnecting: {
        inMs: number;
        attempt: number;
        reason?: string;
    };
    probe: {
        transport: 'websocket';
        ok: boolean;
        reason?: string;
    };
    /**
     * Connected on a later transport than the first one tried: which ones failed, and at which step
     * ('token', 'ticket', 'connect': closed or refused before the welcome, 'welcome': no welcome in time, 'open').
     */
    fallback: {
        transport: TransportName;
        failed: {
            transport: TransportName;
            step: string;
            reason: string;
            closeCode?: number;
            status?: number;
        }[];
    };
    error: ParleyError;
    event: RoomEvent;
    message: MessageEvent;
    message_edited: MessageEditedEvent;
    message_deleted: MessageDeletedEvent;
    member_joined: MemberJoinedEvent;
    member_left: MemberLeftEvent;
    read: ReadEvent;
    room_updated: RoomUpdatedEvent;
    role_changed: RoleChangedEvent;
    reaction_added: ReactionAddedEvent;
    reaction_removed: ReactionRemovedEvent;
    member_banned: MemberBannedEvent;
    member_unbanned: MemberUnbannedEvent;
    room_deleted: RoomDeletedEvent;
    typing: TypingEvent;
    presence: PresenceEvent;
}

/** @import { ConnectionState } from './types.js' */
/**
 * Connection state as a short sentence: "connected via sse", "reconnecting in 4 s", "connecting…".
 * @param {ConnectionState} state
 * @returns {string}
 */
declare function describeState(state: ConnectionState): string;

/**
 * A connection for one user: picks a transport, reconnects, resumes, deduplicates and retries by itself.
 * See README.md for the API.
 */
declare class Parley {
    /** @param {ParleyOptions} options */
    constructor(options: ParleyOptions);
    /** @private */
    private _options;
    /** @private @type {TransportName | null} */
    private _forced;
    /** @private */
    private _base;
    /** @private @type {Env} */
    private _env;
    /** @private */
    private _random;
    /** @private @type {Map<string, Set<(payload: any) => void>>} */
    private _listeners;
    /** @private @type {Map<string, Sub>} */
    private _subs;
    /** @private */
    private _seq;
    /** @private @type {Map<string, TypingState>} */
    private _typing;
    /** @private @type {ResumeState} */
    private _resume;
    /** @private @type {ConnectionState} */
    private _state;
    /** @private */
    private _attempt;
    /** @private @type {Connection | null} */
    private _active;
    /** @private */
    private _connecting;
    /** @private */
    private _started;
    /** @private */
    private _closed;
    /** @private @type {Record<TransportName, number>} */
    private _failedAt;
    /** @private @type {TransportName | null} */
    private _lastConnected;
    /** @private @type {'online' | 'away'} */
    private _presence;
    /** @private */
    private _lastFrameAt;
    /** @private */
    private _pingSentAt;
    /** @private @type {Record<TimerName, unknown>} */
    private _timers;
    /** @private @type {string | null} */
    private _token;
    /** @private */
    private _tokenStale;
    /** @private @type {string | null} */
    private _user;
    /** @private @type {Array<{ resolve: (info: ConnectedInfo) => void, reject: (error: ParleyError) => void }>} */
    private _waiters;
    /** @private */
    private _ticketsUnsupported;
    /** @private */
    private _outbox;
    /** @private @type {() => void} */
    private _wakeHandler;
    /** @private @type {() => void} */
    private _visibleHandler;
    /**
     * Connects (once); resolves when the first transport is up. Reconnects by itself from then on.
     * @returns {Promise<ConnectedInfo>}
     */
    connect(): Promise<ConnectedInfo>;
    /** Closes the connection for good: pending commands fail with code 'closed'. */
    close(): void;
    /** @returns {ConnectionState} the current connection state ({status, transport, retryInMs, attempt, reason}) */
    get state(): ConnectionState;
    /** @returns {TransportName | null} the transport in use ('websocket', 'sse', 'poll'), or null while disconnected */
    get transport(): TransportName | null;
    /** @returns {string | null} the user id of the token, once connected */
    get user(): string | null;
    /**
     * @param {string} room
     * @returns {number | undefined} the last seq seen in a room
     */
    cursor(room: string): number | undefined;
    /** Listens to a client event ('state', 'connected', 'disconnected', 'reconnecting', 'error', 'event', or
     *  an event type such as 'message').
     * @template {keyof ClientEvents} K
     * @param {K} event
     * @param {(payload: ClientEvents[K]) => void} fn
     * @returns {() => void} a function that removes the listener
     */
    on<K extends keyof ClientEvents>(event: K, fn: (payload: ClientEvents[K]) => void): () => void;
    /**
     * @template {keyof ClientEvents} K
     * @param {K} event
     * @param {(payload: ClientEvents[K]) => void} fn
     */
    off<K extends keyof ClientEvents>(event: K, fn: (payload: ClientEvents[K]) => void): void;
    /**
     * Receives a room's events ('*' = every room of the user). `handlers` maps event types to functions
     * ({message(ev) {…}, typing(ev) {…}, event(ev) {…}, error(err) {…}}); `after` (a seq, or for '*' a map
     * room → seq) replays what came after it. Resumes from the last seq seen on every reconnect.
     * @param {string} room
     * @param {RoomHandlers} [handlers]
     * @param {SubscribeOptions} [options]
     * @returns {Subscription}
     */
    subscribe(room: string, handlers?: RoomHandlers, options?: SubscribeOptions): Subscription;
    /**
     * Posts a message, idempotently (client_id); retried until acked, queued while disconnected.
     * @param {string} room
     * @param {string} body
     * @param {{ clientId?: string, attachmentUrl?: string, replyTo?: string, mentions?: string[] }} [options]
     * @returns {Promise<Message>} the stored message
     */
    send(room: string, body: string, { clientId, attachmentUrl, replyTo, mentions }?: {
        clientId?: string;
        attachmentUrl?: string;
        replyTo?: string;
        mentions?: string[];
    }): Promise<Message>;
    /**
     * Reacts to a message with an emoji.
     * @param {string} room
     * @param {string} messageId
     * @param {string} emoji
     * @returns {Promise<ReactionAddedEvent | undefined>} the reaction_added event (undefined if already given)
     */
    react(room: string, messageId: string, emoji: string): Promise<ReactionAddedEvent | undefined>;
    /**
     * Takes a reaction back.
     * @param {string} room
     * @param {string} messageId
     * @param {string} emoji
     * @returns {Promise<ReactionRemovedEvent | undefined>} the reaction_removed event (undefined if there was none)
     */
    unreact(room: string, messageId: string, emoji: string): Promise<ReactionRemovedEvent | undefined>;
    /**
     * Edits one of your messages.
     * @param {string} room
     * @param {string} messageId
     * @param {string} body
     * @returns {Promise<MessageEditedEvent>}
     */
    edit(room: string, messageId: string, body: string): Promise<MessageEditedEvent>;
    /**
     * Deletes a message (yours, or any in a room you own or administer).
     * @param {string} room
     * @param {string} messageId
     * @returns {Promise<MessageDeletedEvent | undefined>} undefined when a retry found it already deleted
     */
    delete(room: string, messageId: string): Promise<MessageDeletedEvent | undefined>;
    /**
     * Read receipt: marks everything up to `seq` (default: the last seq seen in the room) as read.
     * @param {string} room
     * @param {number} [seq]
     * @returns {Promise<ReadEvent | undefined>}
     */
    markRead(room: string, seq?: number): Promise<ReadEvent | undefined>;
    /**
     * Joins an open room.
     * @param {string} room
     * @returns {Promise<MemberJoinedEvent | undefined>} undefined if already a member
     */
    join(room: string): Promise<MemberJoinedEvent | undefined>;
    /**
     * Leaves a room.
     * @param {string} room
     * @returns {Promise<MemberLeftEvent | undefined>}
     */
    leave(room: string): Promise<MemberLeftEvent | undefined>;
    /**
     * Sets your status; kept across reconnects.
     * @param {'online' | 'away'} status
     * @returns {Promise<void>}
     */
    setPresence(status: "online" | "away"): Promise<void>;
    /**
     * Call on every keystroke: announces typing, renews it while it goes on and ends it by itself after a
     * pause. `typing(room, false)` ends it at once. Never queued: typing is only worth sending now.
     * @param {string} room
     * @param {boolean} [active]
     */
    typing(room: string, active?: boolean): void;
    /**
     * Sends a ping now.
     * @returns {Promise<{ type: 'pong', ref: string }>}
     */
    ping(): Promise<{
        type: "pong";
        ref: string;
    }>;
    /** @private @returns {TransportName[]} */
    private _plan;
    /** @private */
    private _cycle;
    /**
     * @private
     * @param {TransportName} transport
     * @returns {Promise<Connection>}
     */
    private _open;
    /**
     * What a WebSocket or EventSource URL carries: a single-use connect ticket, fetched with the token in a
     * header, so the token stays out of URLs (proxy logs, history, Referer); `access_token` against a server
     * without tickets (404/405) or with `tickets: false`.
     * @private
     * @param {string} token
     * @returns {Promise<string>}
     */
    private _credential;
    /** @private @returns {Promise<string>} */
    private _currentToken;
    /**
     * @private
     * @param {Connection} conn
     * @param {boolean} [recheckSoon]
     */
    private _adopt;
    /**
     * @private
     * @param {boolean} resumed
     * @returns {ConnectedInfo}
     */
    private _connectedInfo;
    /**
     * @private
     * @param {Connection} conn
     * @param {LostInfo} info
     */
    private _onLost;
    /**
     * @private
     * @param {string} reason
     */
    private _scheduleReconnect;
    /**
     * @private
     * @param {boolean} [soon] probe within a second or two (jittered, so a restarted server is not probed by all at once)
     */
    private _armReprobe;
    /** @private */
    private _reprobe;
    /** @private */
    private _armLiveness;
    /**
     * @private
     * @param {boolean} urgent
     */
    private _checkLiveness;
    /** @private */
    private _installWakeHooks;
    /** @private */
    private _removeWakeHooks;
    /** The network came back or the tab became visible: retry now instead of at the end of the backoff. @private */
    private _wake;
    /**
     * @private
     * @param {TimerName} name
     */
    private _clearTimer;
    /**
     * @private
     * @param {ConnectionState} state
     */
    private _setState;
    /**
     * @private
     * @param {string} event
     * @param {unknown} payload
     */
    private _emit;
    /**
     * @private
     * @param {Sub} sub
     * @returns {Entry}
     */
    private _subscribeEntry;
    /**
     * @private
     * @param {Sub} sub
     * @param {WireFrame} reply
     */
    private _onSubscribed;
    /**
     * @private
     * @param {Sub} sub
     * @param {RoomHandlers} handlers
     */
    private _unsubscribe;
    /**
     * @private
     * @param {Connection} conn
     * @param {WireFrame} ev
     */
    private _onEvent;
    /**
     * The server replaced an expired SSE/long-poll session by a new one: subscribe again from the seqs seen.
     * @private
     * @param {Connection} conn
     * @param {Welcome} welcome
     */
    private _onNewSession;
    /**
     * A seq was skipped (never expected from the server): subscribe again from the last seq seen.
     * @private
     * @param {string} room
     */
    private _refill;
    /**
     * @private
     * @param {WireFrame} ev
     */
    private _dispatch;
    /**
     * @private
     * @param {unknown} fn
     * @param {unknown} arg
     */
    private _call;
}

/**
 * Exponential backoff with full jitter: a random delay in [0, min(cap, base * 2^attempt)).
 * Spreads the reconnects of many clients after a server restart instead of bunching them.
 * @param {number} attempt
 * @param {{ baseMs?: number, capMs?: number }} [options]
 * @param {() => number} [random]
 * @returns {number}
 */
declare function backoffDelay(attempt: number, { baseMs, capMs }?: {
    baseMs?: number;
    capMs?: number;
}, random?: () => number): number;
/**
 * The last seq seen per room: decides whether a durable event is new, a duplicate (already delivered: drop it)
 * or comes after a gap (something is missing: resubscribe from the cursor), and gives the resume points.
 */
declare class SeqTracker {
    /** room → last seq delivered @private @type {Map<string, number>} */
    private _cursor;
    /** room → last_seq the server reported when we subscribed live-only @private @type {Map<string, number>} */
    private _floor;
    /**
     * Advances the cursor for 'new'.
     * @param {string} room
     * @param {number} seq
     * @returns {'new' | 'duplicate' | 'gap'}
     */
    accept(room: string, seq: number): "new" | "duplicate" | "gap";
    /**
     * Starts a room at `seq` (events up to it count as seen) unless it already has a cursor.
     * @param {string} room
     * @param {unknown} seq
     */
    seed(room: string, seq: unknown): void;
    /**
     * Records the room's last seq from a live-only subscribe ack: where to resume if nothing arrives.
     * @param {string} room
     * @param {number | undefined} lastSeq
     */
    floor(room: string, lastSeq: number | undefined): void;
    /**
     * @param {string} room
     * @returns {number | undefined} the last seq delivered for the room
     */
    cursor(room: string): number | undefined;
    /**
     * @param {string} room
     * @returns {number | undefined} the `after` to resubscribe a room with; undefined: live only
     */
    resumePoint(room: string): number | undefined;
    /** @returns {Record<string, number>} the inbox `after` map: every room with a resume point */
    afterMap(): Record<string, number>;
    /**
     * Forgets a room (the user left it).
     * @param {string} room
     */
    forget(room: string): void;
}

export { Parley, ParleyError, SeqTracker, TypingState, backoffDelay, Parley as default, describeState, newClientId };
export type { ClientEvents, ConnectedInfo, ConnectionState, ConnectionStatus, DurableEvent, ErrorFrame, MemberBannedEvent, MemberJoinedEvent, MemberLeftEvent, MemberUnbannedEvent, Message, MessageDeletedEvent, MessageEditedEvent, MessageEvent, ParleyOptions, PresenceEvent, ReactionAddedEvent, ReactionRemovedEvent, ReadEvent, RoleChangedEvent, RoomDeletedEvent, RoomEvent, RoomHandlers, RoomInfo, RoomSettings, RoomUpdatedEvent, SubscribeAck, SubscribeOptions, Subscription, TransportName, TypingEvent, Welcome, WireFrame };
