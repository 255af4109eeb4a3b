// The public client: picks a transport, reconnects, resumes, deduplicates and retries by itself. The
// transports (transports/) deliver frames and take commands; what survives a connection is in resume.js.

import { Outbox } from './outbox.js';
import { ParleyError, TERMINAL_CLOSE, newClientId } from './protocol.js';
import { SeqTracker, backoffDelay } from './resume.js';
import { TypingState } from './typing.js';
import { failedStep } from './transports/connection.js';
import { openWebSocket } from './transports/websocket.js';
import { openEventSource } from './transports/sse.js';
import { openLongPoll } from './transports/poll.js';

/**
 * @import { ClientEvents, ConnectedInfo, ConnectionState, Message, MemberJoinedEvent, MemberLeftEvent,
 *   MessageDeletedEvent, MessageEditedEvent, ParleyOptions, ReactionAddedEvent, ReactionRemovedEvent,
 *   ReadEvent, RoomHandlers, SubscribeAck, SubscribeOptions, Subscription, TransportName, Welcome,
 *   WireFrame } from './types.js'
 * @import { Connection, Env, LostInfo, ResumeState } from './transports/connection.js'
 * @import { Command, Entry } from './outbox.js'
 */

/**
 * A subscription of the application's: one per room (or '*'), with every handler set given for it.
 * @typedef {object} Sub
 * @property {string} room
 * @property {Set<RoomHandlers>} handlers
 * @property {boolean} established the server has it on the current session
 * @property {boolean} inFlight a subscribe for it awaits its reply
 * @property {Promise<SubscribeAck>} ready
 * @property {(ack: SubscribeAck) => void} resolveReady
 * @property {(error: ParleyError) => void} rejectReady
 */

/** @typedef {'reconnect' | 'liveness' | 'reprobe'} TimerName */

const DEFAULTS = {
  transport: 'auto',
  welcomeTimeoutMs: 5000,
  reprobeMs: 30000,
  backoffBaseMs: 500,
  backoffCapMs: 30000,
  pongTimeoutMs: 10000,
  livenessCheckMs: 1000,
  pollWaitSeconds: 25,
  commandTimeoutMs: 30000,
  typingRenewMs: 2000,
  typingIdleMs: 2500,
};
/** @type {TransportName[]} */
const TRANSPORT_ORDER = ['websocket', 'sse', 'poll'];

/**
 * A connection for one user: picks a transport, reconnects, resumes, deduplicates and retries by itself.
 * See README.md for the API.
 */
export class Parley {
  /** @param {ParleyOptions} options */
  constructor(options) {
    const o = { ...DEFAULTS, ...options };
    if (!o.token) {
      throw new TypeError('Parley: options.token (a string or a function returning one) is required');
    }
    const transport = o.transport === 'long-poll' ? 'poll' : o.transport;
    if (transport !== 'auto' && !TRANSPORT_ORDER.includes(/** @type {TransportName} */ (transport))) {
      throw new TypeError(`Parley: unknown transport '${o.transport}' (use auto, websocket, sse or poll)`);
    }
    /** @type {any} */
    const g = globalThis;
    /** @type {Partial<NonNullable<ParleyOptions['timers']>>} */
    const timers = o.timers || {};
    /** @private */
    this._options = o;
    /** @private @type {TransportName | null} */
    this._forced = transport === 'auto' ? null : /** @type {TransportName} */ (transport);
    /** @private */
    this._base = String(o.url ?? g.location?.origin ?? '').replace(/\/+$/, '');
    /** @private @type {Env} */
    this._env = {
      WebSocket: o.WebSocket ?? g.WebSocket,
      EventSource: o.EventSource ?? g.EventSource,
      fetch: o.fetch ?? (g.fetch ? g.fetch.bind(g) : undefined),
      setTimeout: timers.setTimeout ?? ((fn, ms) => g.setTimeout(fn, ms)),
      clearTimeout: timers.clearTimeout ?? ((id) => g.clearTimeout(id)),
      now: timers.now ?? (() => Date.now()),
      welcomeTimeoutMs: o.welcomeTimeoutMs,
      pollWaitSeconds: o.pollWaitSeconds,
      commandTimeoutMs: o.commandTimeoutMs,
    };
    /** @private */
    this._random = o.random ?? Math.random;
    /** @private @type {Map<string, Set<(payload: any) => void>>} */
    this._listeners = new Map();
    /** @private @type {Map<string, Sub>} */
    this._subs = new Map();
    /** @private */
    this._seq = new SeqTracker();
    /** @private @type {Map<string, TypingState>} */
    this._typing = new Map();
    /** @private @type {ResumeState} */
    this._resume = { sseCursor: null, pollCursor: null, session: null };
    /** @private @type {ConnectionState} */
    this._state = { status: 'idle' };
    /** @private */
    this._attempt = 0;
    /** @private @type {Connection | null} */
    this._active = null;
    /** @private */
    this._connecting = false;
    /** @private */
    this._started = false;
    /** @private */
    this._closed = false;
    /** @private @type {Record<TransportName, number>} */
    this._failedAt = { websocket: -Infinity, sse: -Infinity, poll: -Infinity };
    /** @private @type {TransportName | null} */
    this._lastConnected = null;
    /** @private @type {'online' | 'away'} */
    this._presence = 'online';
    /** @private */
    this._lastFrameAt = 0;
    /** @private */
    this._pingSentAt = 0;
    /** @private @type {Record<TimerName, unknown>} */
    this._timers = { reconnect: null, liveness: null, reprobe: null };
    /** @private @type {string | null} */
    this._token = null;
    /** @private */
    this._tokenStale = true;
    /** @private @type {string | null} */
    this._user = null;
    /** @private @type {Array<{ resolve: (info: ConnectedInfo) => void, reject: (error: ParleyError) => void }>} */
    this._waiters = [];
    /** @private */
    this._ticketsUnsupported = false;
    /** @private */
    this._outbox = new Outbox(this._env, this._random, () => this._active, () => this._closed);
    /** @private @type {() => void} */
    this._wakeHandler = () => this._wake();
    /** @private @type {() => void} */
    this._visibleHandler = () => {
      if (globalThis.document?.visibilityState === 'visible') {
        this._wake();
      }
    };
  }

  // -- connection ---------------------------------------------------------------------------------------

  /**
   * Connects (once); resolves when the first transport is up. Reconnects by itself from then on.
   * @returns {Promise<ConnectedInfo>}
   */
  connect() {
    if (this._closed) {
      return Promise.reject(new ParleyError('closed', 'the client was closed'));
    }
    if (this._active) {
      return Promise.resolve(this._connectedInfo(false));
    }
    const connected = new Promise((resolve, reject) => this._waiters.push({ resolve, reject }));
    if (!this._started) {
      this._started = true;
      this._installWakeHooks();
      this._cycle();
    }
    return connected;
  }

  /** Closes the connection for good: pending commands fail with code 'closed'. */
  close() {
    if (this._closed) {
      return;
    }
    this._closed = true;
    for (const id of Object.values(this._timers)) {
      if (id !== null) {
        this._env.clearTimeout(id);
      }
    }
    for (const t of this._typing.values()) {
      this._env.clearTimeout(t.timer);
    }
    this._active?.close();
    this._active = null;
    const closed = new ParleyError('closed', 'the client was closed');
    this._outbox.rejectAll(closed);
    this._waiters.splice(0).forEach((w) => w.reject(closed));
    this._removeWakeHooks();
    this._setState({ status: 'closed' });
  }

  /** @returns {ConnectionState} the current connection state ({status, transport, retryInMs, attempt, reason}) */
  get state() {
    return { ...this._state };
  }

  /** @returns {TransportName | null} the transport in use ('websocket', 'sse', 'poll'), or null while disconnected */
  get transport() {
    return this._active?.transport ?? null;
  }

  /** @returns {string | null} the user id of the token, once connected */
  get user() {
    return this._user;
  }

  /**
   * @param {string} room
   * @returns {number | undefined} the last seq seen in a room
   */
  cursor(room) {
    return this._seq.cursor(room);
  }

  /** Listens to a client event ('state', 'connected', 'disconnected', 'reconnecting', 'error', 'event', or
   *  an event type such as 'message').
   * @template {keyof ClientEvents} K
   * @param {K} event
   * @param {(payload: ClientEvents[K]) => void} fn
   * @returns {() => void} a function that removes the listener
   */
  on(event, fn) {
    let listeners = this._listeners.get(event);
    if (!listeners) {
      listeners = new Set();
      this._listeners.set(event, listeners);
    }
    listeners.add(fn);
    return () => this.off(event, fn);
  }

  /**
   * @template {keyof ClientEvents} K
   * @param {K} event
   * @param {(payload: ClientEvents[K]) => void} fn
   */
  off(event, fn) {
    this._listeners.get(event)?.delete(fn);
  }

  // -- rooms and commands -------------------------------------------------------------------------------

  /**
   * Receives a room's events ('*' = every room of the user). `handlers` maps event types to functions
   * ({message(ev) {…}, typing(ev) {…}, event(ev) {…}, error(err) {…}}); `after` (a seq, or for '*' a map
   * room → seq) replays what came after it. Resumes from the last seq seen on every reconnect.
   * @param {string} room
   * @param {RoomHandlers} [handlers]
   * @param {SubscribeOptions} [options]
   * @returns {Subscription}
   */
  subscribe(room, handlers = {}, options = {}) {
    if (typeof room !== 'string' || room === '') {
      throw new TypeError('Parley: subscribe needs a room id or "*"');
    }
    const after = options.after ?? handlers.after;
    let sub = this._subs.get(room);
    if (!sub) {
      /** @type {Sub['resolveReady']} */
      let resolveReady = () => {};
      /** @type {Sub['rejectReady']} */
      let rejectReady = () => {};
      /** @type {Promise<SubscribeAck>} */
      const ready = new Promise((resolve, reject) => {
        resolveReady = resolve;
        rejectReady = reject;
      });
      ready.catch(() => {});
      sub = { room, handlers: new Set(), established: false, inFlight: false, ready, resolveReady, rejectReady };
      if (room === '*' && after && typeof after === 'object') {
        Object.entries(after).forEach(([r, seq]) => this._seq.seed(r, seq));
      } else if (Number.isInteger(after)) {
        this._seq.seed(room, after);
      }
      this._subs.set(room, sub);
      if (this._active) {
        this._outbox.send(this._active, [this._subscribeEntry(sub)]);
      }
    }
    sub.handlers.add(handlers);
    return { room, ready: sub.ready, unsubscribe: () => this._unsubscribe(sub, handlers) };
  }

  /**
   * Posts a message, idempotently (client_id); retried until acked, queued while disconnected.
   * @param {string} room
   * @param {string} body
   * @param {{ clientId?: string, attachmentUrl?: string, replyTo?: string, mentions?: string[] }} [options]
   * @returns {Promise<Message>} the stored message
   */
  send(room, body, { clientId, attachmentUrl, replyTo, mentions } = {}) {
    /** @type {Command} */
    const command = { type: 'send', room, body, client_id: clientId ?? newClientId() };
    if (attachmentUrl) {
      command.attachment_url = attachmentUrl;
    }
    if (replyTo) {
      command.reply_to = replyTo;
    }
    if (mentions && mentions.length > 0) {
      command.mentions = mentions;
    }
    this.typing(room, false);
    return this._outbox.command(command, { retry: 'always', map: (ack) => ack.message });
  }

  /**
   * Reacts to a message with an emoji.
   * @param {string} room
   * @param {string} messageId
   * @param {string} emoji
   * @returns {Promise<ReactionAddedEvent | undefined>} the reaction_added event (undefined if already given)
   */
  react(room, messageId, emoji) {
    return this._outbox.command({ type: 'react', room, message_id: messageId, emoji }, { map: (ack) => ack.event });
  }

  /**
   * Takes a reaction back.
   * @param {string} room
   * @param {string} messageId
   * @param {string} emoji
   * @returns {Promise<ReactionRemovedEvent | undefined>} the reaction_removed event (undefined if there was none)
   */
  unreact(room, messageId, emoji) {
    return this._outbox.command({ type: 'unreact', room, message_id: messageId, emoji }, { map: (ack) => ack.event });
  }

  /**
   * Edits one of your messages.
   * @param {string} room
   * @param {string} messageId
   * @param {string} body
   * @returns {Promise<MessageEditedEvent>}
   */
  edit(room, messageId, body) {
    return this._outbox.command({ type: 'edit', room, message_id: messageId, body }, { map: (ack) => ack.event });
  }

  /**
   * Deletes a message (yours, or any in a room you own or administer).
   * @param {string} room
   * @param {string} messageId
   * @returns {Promise<MessageDeletedEvent | undefined>} undefined when a retry found it already deleted
   */
  delete(room, messageId) {
    return this._outbox.command({ type: 'delete', room, message_id: messageId }, { map: (ack) => ack.event });
  }

  /**
   * Read receipt: marks everything up to `seq` (default: the last seq seen in the room) as read.
   * @param {string} room
   * @param {number} [seq]
   * @returns {Promise<ReadEvent | undefined>}
   */
  markRead(room, seq = this._seq.cursor(room)) {
    if (!Number.isInteger(seq)) {
      return Promise.resolve(undefined);
    }
    return this._outbox.command({ type: 'read', room, seq }, { map: (ack) => ack.event });
  }

  /**
   * Joins an open room.
   * @param {string} room
   * @returns {Promise<MemberJoinedEvent | undefined>} undefined if already a member
   */
  join(room) {
    return this._outbox.command({ type: 'join', room }, { map: (ack) => ack.event });
  }

  /**
   * Leaves a room.
   * @param {string} room
   * @returns {Promise<MemberLeftEvent | undefined>}
   */
  leave(room) {
    return this._outbox.command({ type: 'leave', room }, { map: (ack) => ack.event });
  }

  /**
   * Sets your status; kept across reconnects.
   * @param {'online' | 'away'} status
   * @returns {Promise<void>}
   */
  setPresence(status) {
    if (status !== 'online' && status !== 'away') {
      return Promise.reject(new ParleyError('invalid', 'presence is online or away'));
    }
    this._presence = status;
    return this._outbox.command({ type: 'presence', status }, { map: () => undefined });
  }

  /**
   * Call on every keystroke: announces typing, renews it while it goes on and ends it by itself after a
   * pause. `typing(room, false)` ends it at once. Never queued: typing is only worth sending now.
   * @param {string} room
   * @param {boolean} [active]
   */
  typing(room, active = true) {
    let t = this._typing.get(room);
    if (!t) {
      if (!active) {
        return;
      }
      t = new TypingState({ renewMs: this._options.typingRenewMs, idleMs: this._options.typingIdleMs });
      this._typing.set(room, t);
    }
    this._env.clearTimeout(t.timer);
    if (!active) {
      if (t.stop()) {
        this._outbox.fire({ type: 'typing', room, active: false });
      }
      return;
    }
    if (t.keystroke(this._env.now())) {
      this._outbox.fire({ type: 'typing', room, active: true });
    }
    const check = () => {
      if (t.idle(this._env.now())) {
        this._outbox.fire({ type: 'typing', room, active: false });
      } else if (t.active) {
        t.timer = this._env.setTimeout(check, Math.max(50, t.idleMs - (this._env.now() - t.lastKeyAt)));
      }
    };
    t.timer = this._env.setTimeout(check, t.idleMs);
  }

  /**
   * Sends a ping now.
   * @returns {Promise<{ type: 'pong', ref: string }>}
   */
  ping() {
    return this._outbox.command({ type: 'ping' }, { retry: 'never', queue: false });
  }

  // -- internals: connecting ----------------------------------------------------------------------------

  /** @private @returns {TransportName[]} */
  _plan() {
    if (this._forced) {
      return [this._forced];
    }
    const now = this._env.now();
    const plan = TRANSPORT_ORDER.filter((t) => now - this._failedAt[t] >= this._options.reprobeMs);
    return plan.length > 0 ? plan : TRANSPORT_ORDER;
  }

  /** @private */
  async _cycle() {
    if (this._closed || this._connecting || this._active) {
      return;
    }
    this._connecting = true;
    this._setState({ status: 'connecting', attempt: this._attempt });
    /** @type {TransportName[]} */
    const failed = [];
    const failures = [];
    /** @type {ParleyError | null} */
    let lastError = null;
    for (const transport of this._plan()) {
      let conn;
      try {
        conn = await this._open(transport);
      } catch (e) {
        const error = /** @type {ParleyError} */ (e);
        lastError = error;
        failed.push(transport);
        failures.push({ transport, step: failedStep(error), reason: error.message, closeCode: error.closeCode,
          status: error.status });
        if (this._closed) {
          break;
        }
        continue;
      }
      this._connecting = false;
      if (this._closed) {
        conn.close();
        return;
      }
      // A transport that failed while a later one worked is blocked on this network: skip it until the
      // next probe. (When all fail, the server is down, and nothing is skipped.) But a WebSocket that was
      // the connection until now worked on this network moments ago: its failure more likely means the
      // server was away (a restart) and came back while the fallbacks were tried, so it is probed again
      // soon rather than after reprobeMs.
      failed.forEach((t) => { this._failedAt[t] = this._env.now(); });
      const recheck = failed.includes('websocket') && this._lastConnected === 'websocket';
      this._adopt(conn, recheck);
      if (failures.length > 0) {
        // Why the client is not on its first choice, so an app can show or log it (a proxy that drops the
        // upgrade shows up here, not only as a silent switch to SSE).
        this._emit('fallback', { transport: conn.transport, failed: failures });
      }
      return;
    }
    this._connecting = false;
    if (!this._closed) {
      this._tokenStale = true;
      this._scheduleReconnect(lastError ? lastError.message : 'no transport');
    }
  }

  /**
   * @private
   * @param {TransportName} transport
   * @returns {Promise<Connection>}
   */
  async _open(transport) {
    const token = await this._currentToken();
    if (transport === 'websocket') {
      return openWebSocket(this._env, this._base, await this._credential(token));
    }
    if (transport === 'sse') {
      return openEventSource(this._env, this._base, token, await this._credential(token), this._resume);
    }
    return openLongPoll(this._env, this._base, token, this._resume);
  }

  /**
   * What a WebSocket or EventSource URL carries: a single-use connect ticket, fetched with the token in a
   * header, so the token stays out of URLs (proxy logs, history, Referer); `access_token` against a server
   * without tickets (404/405) or with `tickets: false`.
   * @private
   * @param {string} token
   * @returns {Promise<string>}
   */
  async _credential(token) {
    if (this._options.tickets !== false && !this._ticketsUnsupported && this._env.fetch) {
      let response;
      try {
        response = await this._env.fetch(`${this._base}/v1/tickets`, {
          method: 'POST', headers: { Authorization: `Bearer ${token}` }, cache: 'no-store',
        });
      } catch (e) {
        throw new ParleyError('transport', `tickets: ${/** @type {Error} */ (e).message}`);
      }
      if (response.status === 404 || response.status === 405) {
        this._ticketsUnsupported = true;
      } else if (!response.ok) {
        throw new ParleyError(response.status === 401 ? 'unauthorized' : 'transport',
          `tickets answered ${response.status}`, { status: response.status });
      } else {
        const body = await response.json();
        if (typeof body?.ticket !== 'string') {
          throw new ParleyError('transport', 'tickets: no ticket in the answer');
        }
        return `ticket=${encodeURIComponent(body.ticket)}`;
      }
    }
    return `access_token=${encodeURIComponent(token)}`;
  }

  /** @private @returns {Promise<string>} */
  async _currentToken() {
    const source = this._options.token;
    if (typeof source !== 'function') {
      return source;
    }
    if (this._tokenStale || !this._token) {
      try {
        this._token = await source();
      } catch (e) {
        throw new ParleyError('unauthorized', `token: ${/** @type {Error} */ (e).message}`);
      }
      this._tokenStale = false;
    }
    return this._token;
  }

  /**
   * @private
   * @param {Connection} conn
   * @param {boolean} [recheckSoon]
   */
  _adopt(conn, recheckSoon = false) {
    const previous = this._active;
    this._active = conn;
    this._lastConnected = conn.transport;
    this._attempt = 0;
    if (conn.transport !== 'sse') {
      this._resume.sseCursor = null;
    }
    if (conn.transport !== 'poll') {
      this._resume.pollCursor = null;
    }
    const welcome = /** @type {Welcome} */ (conn.welcome);
    const resumed = welcome.resumed === true && conn.session === this._resume.session;
    this._resume.session = conn.session ?? null;
    this._user = welcome.user ?? this._user;
    if (!resumed) {
      this._subs.forEach((sub) => { sub.established = false; });
    }
    this._lastFrameAt = this._env.now();
    this._pingSentAt = 0;
    this._clearTimer('reconnect');
    conn.attach({
      event: (ev) => this._onEvent(conn, ev),
      lost: (info) => this._onLost(conn, info),
      failed: (commands) => this._outbox.failed(commands),
    });
    if (this._active !== conn) {
      return;
    }
    if (previous && previous !== conn) {
      previous.close();
      this._outbox.takeBackFrom(previous);
    }
    const info = this._connectedInfo(resumed);
    this._setState({ status: 'connected', transport: conn.transport, session: conn.session, resumed });
    this._emit('connected', info);
    this._waiters.splice(0).forEach((w) => w.resolve(info));
    // In this order: subscriptions (their replays come first), presence, then what was queued.
    const entries = [];
    this._subs.forEach((sub) => {
      if (!sub.established) {
        entries.push(this._subscribeEntry(sub));
      }
    });
    if (this._presence === 'away' && !resumed && !this._outbox.hasQueued('presence')) {
      entries.push(this._outbox.entry({ type: 'presence', status: 'away' }, { retry: 'never' }));
    }
    entries.push(...this._outbox.takeQueued());
    this._outbox.send(conn, entries);
    this._armLiveness();
    this._armReprobe(recheckSoon);
  }

  /**
   * @private
   * @param {boolean} resumed
   * @returns {ConnectedInfo}
   */
  _connectedInfo(resumed) {
    // Only asked while connected, so every field is there.
    return /** @type {ConnectedInfo} */ ({ transport: this._active?.transport, session: this._active?.session,
      user: this._user, resumed });
  }

  /**
   * @private
   * @param {Connection} conn
   * @param {LostInfo} info
   */
  _onLost(conn, info) {
    if (conn !== this._active) {
      return;
    }
    this._active = null;
    conn.close(); // e.g. a long-poll whose command POST failed must not keep polling beside its successor
    this._clearTimer('liveness');
    this._clearTimer('reprobe');
    this._outbox.takeBackFrom(conn);
    this._emit('disconnected', info);
    if (info.terminal || (conn.transport === 'websocket' && TERMINAL_CLOSE.has(info.code))) {
      const error = new ParleyError('closed', `server closed the connection: ${info.reason} (${info.code})`,
        { closeCode: info.code });
      this._emit('error', error);
      this._closed = true;
      this._setState({ status: 'closed', error });
      return;
    }
    if (info.code === 4001 || info.auth) {
      this._tokenStale = true;
    }
    this._scheduleReconnect(info.reason);
  }

  /**
   * @private
   * @param {string} reason
   */
  _scheduleReconnect(reason) {
    if (this._closed || this._timers.reconnect !== null || this._connecting || this._active) {
      return;
    }
    const delay = backoffDelay(this._attempt,
      { baseMs: this._options.backoffBaseMs, capMs: this._options.backoffCapMs }, this._random);
    this._attempt += 1;
    this._setState({ status: 'reconnecting', retryInMs: delay, attempt: this._attempt, reason });
    this._emit('reconnecting', { inMs: delay, attempt: this._attempt, reason });
    this._timers.reconnect = this._env.setTimeout(() => {
      this._timers.reconnect = null;
      this._cycle();
    }, delay);
  }

  /**
   * @private
   * @param {boolean} [soon] probe within a second or two (jittered, so a restarted server is not probed by all at once)
   */
  _armReprobe(soon = false) {
    this._clearTimer('reprobe');
    if (this._forced || !this._active || this._active.transport === 'websocket') {
      return;
    }
    const delay = soon ? Math.min(this._options.reprobeMs, 1000 + Math.floor(this._random() * 1000))
      : this._options.reprobeMs;
    this._timers.reprobe = this._env.setTimeout(() => {
      this._timers.reprobe = null;
      this._reprobe();
    }, delay);
  }

  /** @private */
  async _reprobe() {
    const from = this._active;
    if (this._closed || !from || from.transport === 'websocket') {
      return;
    }
    let conn;
    try {
      conn = await this._open('websocket');
    } catch (e) {
      this._failedAt.websocket = this._env.now();
      this._emit('probe', { transport: 'websocket', ok: false, reason: /** @type {Error} */ (e).message });
      if (this._active === from) {
        this._armReprobe();
      }
      return;
    }
    if (this._closed || this._active !== from) {
      conn.close();
      return;
    }
    this._failedAt.websocket = -Infinity;
    this._emit('probe', { transport: 'websocket', ok: true });
    this._adopt(conn);
  }

  // Liveness is judged by when the last frame arrived, never by a timer firing on time: background tabs
  // throttle timers to once a minute, so a late check only sends a ping, and only a ping left unanswered
  // for pongTimeoutMs (measured from when it was sent) counts as a dead connection.
  /** @private */
  _armLiveness() {
    this._clearTimer('liveness');
    const tick = () => {
      this._timers.liveness = this._env.setTimeout(tick, this._options.livenessCheckMs);
      this._checkLiveness(false);
    };
    this._timers.liveness = this._env.setTimeout(tick, this._options.livenessCheckMs);
  }

  /**
   * @private
   * @param {boolean} urgent
   */
  _checkLiveness(urgent) {
    const conn = this._active;
    if (!conn || conn.transport === 'poll') {
      return; // every poll has its own deadline
    }
    const now = this._env.now();
    if (this._pingSentAt > this._lastFrameAt) {
      if (now - this._pingSentAt > this._options.pongTimeoutMs) {
        conn.close();
        this._onLost(conn, { code: 4000, reason: 'no answer to ping' });
      }
      return;
    }
    const quiet = now - this._lastFrameAt;
    if (urgent ? quiet > 2000 : quiet >= conn.heartbeatMs / 2) {
      this._pingSentAt = now;
      this._outbox.fire({ type: 'ping' });
    }
  }

  /** @private */
  _installWakeHooks() {
    globalThis.window?.addEventListener?.('online', this._wakeHandler);
    globalThis.document?.addEventListener?.('visibilitychange', this._visibleHandler);
  }

  /** @private */
  _removeWakeHooks() {
    globalThis.window?.removeEventListener?.('online', this._wakeHandler);
    globalThis.document?.removeEventListener?.('visibilitychange', this._visibleHandler);
  }

  /** The network came back or the tab became visible: retry now instead of at the end of the backoff. @private */
  _wake() {
    if (this._closed) {
      return;
    }
    if (this._timers.reconnect !== null) {
      this._clearTimer('reconnect');
      this._cycle();
      return;
    }
    this._checkLiveness(true);
  }

  /**
   * @private
   * @param {TimerName} name
   */
  _clearTimer(name) {
    if (this._timers[name] !== null) {
      this._env.clearTimeout(this._timers[name]);
      this._timers[name] = null;
    }
  }

  /**
   * @private
   * @param {ConnectionState} state
   */
  _setState(state) {
    this._state = state;
    this._emit('state', { ...state });
  }

  /**
   * @private
   * @param {string} event
   * @param {unknown} payload
   */
  _emit(event, payload) {
    for (const fn of [...(this._listeners.get(event) ?? [])]) {
      try {
        fn(payload);
      } catch (e) {
        console.error('Parley: listener failed', e);
      }
    }
  }

  // -- internals: subscriptions and events --------------------------------------------------------------

  /**
   * @private
   * @param {Sub} sub
   * @returns {Entry}
   */
  _subscribeEntry(sub) {
    /** @type {Command} */
    const command = { type: 'subscribe', room: sub.room };
    if (sub.room === '*') {
      const after = this._seq.afterMap();
      if (Object.keys(after).length > 0) {
        command.after = after;
      }
    } else {
      const after = this._seq.resumePoint(sub.room);
      if (after !== undefined) {
        command.after = after;
      }
    }
    sub.inFlight = true;
    return this._outbox.entry(command, {
      onReply: (reply) => this._onSubscribed(sub, reply),
      onDropped: () => { sub.inFlight = false; }, // derived again on the next connection
    });
  }

  /**
   * @private
   * @param {Sub} sub
   * @param {WireFrame} reply
   */
  _onSubscribed(sub, reply) {
    sub.inFlight = false;
    if (this._subs.get(sub.room) !== sub) {
      return;
    }
    if (reply.type === 'error') {
      this._subs.delete(sub.room);
      const error = new ParleyError(reply.code, reply.message, { command: 'subscribe', room: sub.room });
      sub.rejectReady(error);
      sub.handlers.forEach((h) => this._call(h.error, error));
      this._emit('error', error);
      return;
    }
    sub.established = true;
    const rooms = sub.room === '*' ? (reply.rooms || []) : [reply];
    let complete = true;
    for (const r of rooms) {
      this._seq.floor(r.room, r.last_seq);
      complete = complete && r.complete !== false;
    }
    sub.resolveReady(/** @type {SubscribeAck} */ (reply));
    if (!complete && this._active) {
      // More was missed than one replay carries: the server paused the room; continue from where it stopped.
      this._outbox.send(this._active, [this._subscribeEntry(sub)]);
    }
  }

  /**
   * @private
   * @param {Sub} sub
   * @param {RoomHandlers} handlers
   */
  _unsubscribe(sub, handlers) {
    sub.handlers.delete(handlers);
    if (sub.handlers.size > 0 || this._subs.get(sub.room) !== sub) {
      return;
    }
    this._subs.delete(sub.room);
    if (sub.room !== '*' && this._subs.has('*')) {
      return; // the inbox still follows this room on the server
    }
    this._outbox.fire({ type: 'unsubscribe', room: sub.room });
    if (sub.room === '*' && this._active) {
      // Unsubscribing the inbox ends every room subscription of the session: renew the ones still wanted.
      const again = [...this._subs.values()].map((s) => this._subscribeEntry(s));
      this._outbox.send(this._active, again);
    }
  }

  /**
   * @private
   * @param {Connection} conn
   * @param {WireFrame} ev
   */
  _onEvent(conn, ev) {
    if (this._closed || !ev || typeof ev.type !== 'string') {
      return;
    }
    if (conn === this._active) {
      this._lastFrameAt = this._env.now();
    }
    if (typeof ev.ref === 'string' && (ev.type === 'ack' || ev.type === 'error' || ev.type === 'pong')) {
      this._outbox.reply(ev);
      return;
    }
    if (ev.type === 'error') {
      this._emit('error', new ParleyError(ev.code, ev.message));
      return;
    }
    if (ev.type === 'welcome') {
      if (conn === this._active && ev.session !== this._resume.session) {
        this._onNewSession(conn, /** @type {Welcome} */ (ev));
      }
      return;
    }
    if (ev.type === 'ack' || ev.type === 'pong') {
      return;
    }
    const { room, seq } = ev;
    if (typeof room === 'string' && typeof seq === 'number' && Number.isInteger(seq)) {
      const verdict = this._seq.accept(room, seq);
      if (verdict === 'duplicate') {
        return;
      }
      if (verdict === 'gap') {
        this._refill(room);
        return;
      }
    }
    this._dispatch(ev);
    if (((ev.type === 'member_left' || ev.type === 'member_banned') && ev.user === this._user
        || ev.type === 'room_deleted') && typeof room === 'string') {
      this._seq.forget(room);
    }
  }

  /**
   * The server replaced an expired SSE/long-poll session by a new one: subscribe again from the seqs seen.
   * @private
   * @param {Connection} conn
   * @param {Welcome} welcome
   */
  _onNewSession(conn, welcome) {
    conn.welcome = welcome;
    this._resume.session = welcome.session;
    const entries = [];
    this._subs.forEach((sub) => {
      sub.established = false;
      entries.push(this._subscribeEntry(sub));
    });
    if (this._presence === 'away') {
      entries.push(this._outbox.entry({ type: 'presence', status: 'away' }, { retry: 'never' }));
    }
    this._outbox.send(conn, entries);
    this._emit('connected', this._connectedInfo(false));
  }

  /**
   * A seq was skipped (never expected from the server): subscribe again from the last seq seen.
   * @private
   * @param {string} room
   */
  _refill(room) {
    const sub = this._subs.get(room) ?? this._subs.get('*');
    if (sub && !sub.inFlight && this._active) {
      this._outbox.send(this._active, [this._subscribeEntry(sub)]);
    }
  }

  /**
   * @private
   * @param {WireFrame} ev
   */
  _dispatch(ev) {
    /** @type {Sub[]} */
    let targets;
    if (ev.type === 'presence') {
      targets = [...this._subs.values()];
    } else {
      targets = /** @type {Sub[]} */ ([this._subs.get(ev.room ?? ''), ev.room === '*' ? undefined : this._subs.get('*')]
        .filter(Boolean));
    }
    for (const sub of targets) {
      for (const h of sub.handlers) {
        this._call(/** @type {Record<string, unknown>} */ (h)[ev.type], ev);
        this._call(h.event, ev);
      }
    }
    this._emit(ev.type, ev);
    this._emit('event', ev);
  }

  /**
   * @private
   * @param {unknown} fn
   * @param {unknown} arg
   */
  _call(fn, arg) {
    if (typeof fn === 'function') {
      try {
        fn(arg);
      } catch (e) {
        console.error('Parley: handler failed', e);
      }
    }
  }
}

