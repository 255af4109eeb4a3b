// The wire protocol's shapes (docs/protocol.md) and the client's options and events: the one place these
// types are written. Types only: nothing here exists at run time. The modules beside it use them through
// JSDoc (`@import`), tsc checks those modules against them, and the build turns both into parley.d.ts.

import type { ParleyError } from './protocol.js';

/** Transports in the order the client tries them; 'auto' tries all three and re-probes WebSocket. */
export type TransportName = 'websocket' | 'sse' | 'poll';

export interface ParleyOptions {
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
  timers?: { now(): number; setTimeout(fn: () => void, ms: number): unknown; clearTimeout(id: unknown): void };
  random?: () => number;
}

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface ConnectionState {
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

export interface ConnectedInfo {
  transport: TransportName;
  session: string;
  user: string;
  resumed: boolean;
}

export interface Message {
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
  reply_to?: { id: string; author: string; author_name: string; excerpt: string | null; deleted: boolean };
  /** Users it mentions (absent when none): a client marks a message that mentions its user. */
  mentions?: string[];
  /** In history only (absent when none): each emoji with its count and whether the reader gave it. */
  reactions?: Array<{ emoji: string; count: number; me: boolean }>;
}

export interface MessageEvent { type: 'message'; room: string; seq: number; message: Message }
export interface MessageEditedEvent {
  type: 'message_edited'; room: string; seq: number; message_id: string; body: string; edited_at: string;
}
export interface MessageDeletedEvent { type: 'message_deleted'; room: string; seq: number; message_id: string }
export interface MemberJoinedEvent { type: 'member_joined'; room: string; seq: number; user: string }
export interface MemberLeftEvent { type: 'member_left'; room: string; seq: number; user: string }
export interface ReadEvent { type: 'read'; room: string; seq: number; user: string; up_to: number }
/** A room's settings as its owner left them (REST: `GET /v1/rooms/{room}`, the room list, `room_updated`). */
export interface RoomSettings {
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
export interface RoomInfo extends RoomSettings {
  id: string;
  /** `direct`: a one-to-one conversation, named after `peer`. */
  kind: 'group' | 'direct';
  peer?: { user: string; display_name: string; status: 'online' | 'away' | 'offline'; last_seen: string };
  owner: string;
  created_at: string;
  last_seq: number;
  /** In the room list only. */
  last_event_at?: string; read_up_to?: number; unread?: number; mentions?: number;
}
/** A member's role changed; `role: 'owner'` is a hand-over, after which `by` (the owner until then) is an admin. */
export interface RoleChangedEvent {
  type: 'role_changed'; room: string; seq: number; user: string; role: 'owner' | 'admin' | 'member'; by: string;
}
/** A user was banned; a member stops being one (their sessions get nothing more from the room). */
export interface MemberBannedEvent { type: 'member_banned'; room: string; seq: number; user: string; by: string }
export interface MemberUnbannedEvent { type: 'member_unbanned'; room: string; seq: number; user: string; by: string }
export interface ReactionAddedEvent {
  type: 'reaction_added'; room: string; seq: number; message_id: string; emoji: string; user: string;
}
export interface ReactionRemovedEvent {
  type: 'reaction_removed'; room: string; seq: number; message_id: string; emoji: string; user: string;
}
/** The room was deleted: its last event. Nothing more comes from it, and it is not found from now on. */
export interface RoomDeletedEvent { type: 'room_deleted'; room: string; seq: number; by: string }
export interface RoomUpdatedEvent extends RoomSettings {
  type: 'room_updated'; room: string; seq: number; by: string;
  changed: Array<'name' | 'visibility' | 'topic' | 'avatar_url' | 'metadata' | 'archived'>;
  updated_at: string;
}
export interface TypingEvent { type: 'typing'; room: string; user: string; active: boolean }
export interface PresenceEvent { type: 'presence'; user: string; status: 'online' | 'away' | 'offline'; last_seen: string }

export type DurableEvent =
  MessageEvent | MessageEditedEvent | MessageDeletedEvent | MemberJoinedEvent | MemberLeftEvent | ReadEvent
  | RoomUpdatedEvent | RoleChangedEvent | MemberBannedEvent | MemberUnbannedEvent | ReactionAddedEvent
  | ReactionRemovedEvent | RoomDeletedEvent;
export type RoomEvent = DurableEvent | TypingEvent | PresenceEvent;

/** The first frame of every connection. */
export interface Welcome {
  type: 'welcome';
  session: string;
  /** Absent only in the welcome the long-poll transport makes up when it resumes its own session. */
  user?: string;
  transport: 'websocket' | 'sse' | 'long-poll';
  heartbeat_ms?: number;
  resumed: boolean;
}

/** An error reply to a command (with its `ref`) or a connection-level error (without). */
export interface ErrorFrame { type: 'error'; ref?: string; code: string; message?: string }

/**
 * Any frame the server sends: events, replies and the welcome. The client reads the fields it knows and
 * ignores the rest, so a newer server's additions do no harm.
 */
export interface WireFrame { type: string; ref?: string; room?: string; seq?: number; [field: string]: any }

export interface SubscribeAck {
  type: 'ack'; ref: string;
  /** Room subscriptions. */
  room?: string; last_seq?: number; replayed?: number; complete?: boolean;
  /** Inbox subscriptions. */
  rooms?: Array<{ room: string; last_seq: number; replayed: number; complete: boolean }>;
}

/** Functions called for a subscription's events, by type; `event` gets every one. */
export interface RoomHandlers {
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

export interface SubscribeOptions {
  /** Replay what came after this seq (for '*': a map room id → seq). Default: live only. */
  after?: number | Record<string, number>;
}

export interface Subscription {
  room: string;
  /** Resolves with the first ack; rejects if the server refuses the subscription. */
  ready: Promise<SubscribeAck>;
  unsubscribe(): void;
}

export interface ClientEvents {
  state: ConnectionState;
  connected: ConnectedInfo;
  disconnected: { code: number; reason: string };
  reconnecting: { inMs: number; attempt: number; reason?: string };
  probe: { transport: 'websocket'; ok: boolean; reason?: string };
  /**
   * Connected on a later transport than the first one tried: which ones failed, and at which step
   * ('token', 'ticket', 'connect': closed or refused before the welcome, 'welcome': no welcome in time, 'open').
   */
  fallback: {
    transport: TransportName;
    failed: { transport: TransportName; step: string; reason: string; closeCode?: number; status?: number }[];
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
