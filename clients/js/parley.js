// Parley browser client for wire protocol v1 (docs/protocol.md): one dependency-free ES module. Built by scripts/build.mjs from src/: edit those files, then run `npm run build`.

// What the client knows of wire protocol v1 (docs/protocol.md) beyond its shapes (types.ts): errors, which of
// them are worth a retry, which close codes end the connection for good, and idempotency keys for sends.

/** A server error reply ('forbidden', 'not_found', 'invalid', …) or a client-side failure ('closed'). */
class ParleyError extends Error {
  /**
   * @param {string} code
   * @param {string} [message]
   * @param {{ closeCode?: number, status?: number, command?: string, room?: string }} [details]
   */
  constructor(code, message, details = {}) {
    super(message || code);
    this.name = 'ParleyError';
    /** @readonly */
    this.code = code;
    /** The WebSocket close code, when the server closed the connection. @readonly @type {number | undefined} */
    this.closeCode = details.closeCode;
    /** The HTTP status, when an HTTP request of the client failed. @readonly @type {number | undefined} */
    this.status = details.status;
    /** The command the server refused. @readonly @type {string | undefined} */
    this.command = details.command;
    /** The room of that command. @readonly @type {string | undefined} */
    this.room = details.room;
  }
}

/** Error codes after which a command is worth sending again. */
const RETRYABLE = new Set(['unavailable', 'rate_limited']);

/** WebSocket close codes after which reconnecting cannot help. */
const TERMINAL_CLOSE = new Set([1000, 1008, 1009, 4003]);

/**
 * A fresh client_id for an idempotent send.
 * @returns {string}
 */
function newClientId() {
  if (globalThis.crypto?.randomUUID) {
    return globalThis.crypto.randomUUID();
  }
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

// Session and resume: what the client remembers across connections so that nothing is lost or repeated.

/**
 * The last seq seen per room: decides whether a durable event is new, a duplicate (already delivered: drop it)
 * or comes after a gap (something is missing: resubscribe from the cursor), and gives the resume points.
 */
class SeqTracker {
  constructor() {
    /** room → last seq delivered @private @type {Map<string, number>} */
    this._cursor = new Map();
    /** room → last_seq the server reported when we subscribed live-only @private @type {Map<string, number>} */
    this._floor = new Map();
  }

  /**
   * Advances the cursor for 'new'.
   * @param {string} room
   * @param {number} seq
   * @returns {'new' | 'duplicate' | 'gap'}
   */
  accept(room, seq) {
    const cursor = this._cursor.get(room);
    if (cursor === undefined) {
      this._cursor.set(room, seq);
      return 'new';
    }
    if (seq <= cursor) {
      return 'duplicate';
    }
    if (seq > cursor + 1) {
      return 'gap';
    }
    this._cursor.set(room, seq);
    return 'new';
  }

  /**
   * Starts a room at `seq` (events up to it count as seen) unless it already has a cursor.
   * @param {string} room
   * @param {unknown} seq
   */
  seed(room, seq) {
    if (!this._cursor.has(room) && Number.isInteger(seq) && /** @type {number} */ (seq) >= 0) {
      this._cursor.set(room, /** @type {number} */ (seq));
    }
  }

  /**
   * Records the room's last seq from a live-only subscribe ack: where to resume if nothing arrives.
   * @param {string} room
   * @param {number | undefined} lastSeq
   */
  floor(room, lastSeq) {
    if (Number.isInteger(lastSeq)) {
      this._floor.set(room, /** @type {number} */ (lastSeq));
    }
  }

  /**
   * @param {string} room
   * @returns {number | undefined} the last seq delivered for the room
   */
  cursor(room) {
    return this._cursor.get(room);
  }

  /**
   * @param {string} room
   * @returns {number | undefined} the `after` to resubscribe a room with; undefined: live only
   */
  resumePoint(room) {
    return this._cursor.has(room) ? this._cursor.get(room) : this._floor.get(room);
  }

  /** @returns {Record<string, number>} the inbox `after` map: every room with a resume point */
  afterMap() {
    /** @type {Record<string, number>} */
    const after = {};
    for (const room of new Set([...this._floor.keys(), ...this._cursor.keys()])) {
      after[room] = /** @type {number} */ (this.resumePoint(room));
    }
    return after;
  }

  /**
   * Forgets a room (the user left it).
   * @param {string} room
   */
  forget(room) {
    this._cursor.delete(room);
    this._floor.delete(room);
  }
}

/**
 * Exponential backoff with full jitter: a random delay in [0, min(cap, base * 2^attempt)).
 * Spreads the reconnects of many clients after a server restart instead of bunching them.
 * @param {number} attempt
 * @param {{ baseMs?: number, capMs?: number }} [options]
 * @param {() => number} [random]
 * @returns {number}
 */
function backoffDelay(attempt, { baseMs = 500, capMs = 30000 } = {}, random = Math.random) {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.floor(random() * ceiling);
}

// The commands of a client, across its connections: each gets a ref, waits for its reply, is queued while there
// is no connection, and is sent again after a connection is lost before it was answered, or after a retryable
// error. What is retried, and how often, is the command's `retry`.


/**
 * @import { WireFrame } from './types.js'
 * @import { Connection, Env } from './transports/connection.js'
 */

/**
 * A command as it goes on the wire: its `type`, its `ref` (set when it is sent) and its own fields.
 * @typedef {{ type: string, ref?: string, room?: string, [field: string]: unknown }} Command
 */

/**
 * A command on its way: sent on `conn`, or queued until there is a connection, until its reply arrives.
 * `retry`: 'always' (sends), 'some' (five tries after `unavailable` or `rate_limited`), 'never' (typing, pings).
 * @typedef {object} Entry
 * @property {number} order
 * @property {string} ref
 * @property {Command} command
 * @property {'always' | 'some' | 'never'} retry
 * @property {(ack: WireFrame) => any} map what the command's promise resolves with
 * @property {((reply: WireFrame) => void) | undefined} onReply takes the reply instead (subscriptions)
 * @property {(() => void) | undefined} onDropped for an `onReply` entry: its connection went without a reply
 * @property {(value: any) => void} resolve
 * @property {(error: ParleyError) => void} reject
 * @property {number} attempts
 * @property {boolean} retried
 * @property {Connection | null} conn
 */

/**
 * @typedef {object} EntryOptions
 * @property {Entry['retry']} [retry]
 * @property {Entry['map']} [map]
 * @property {Entry['onReply']} [onReply]
 * @property {Entry['onDropped']} [onDropped]
 * @property {Entry['resolve']} [resolve]
 * @property {Entry['reject']} [reject]
 */

class Outbox {
  /**
   * @param {Env} env
   * @param {() => number} random
   * @param {() => Connection | null} current the connection commands go on now, if any
   * @param {() => boolean} isClosed
   */
  constructor(env, random, current, isClosed) {
    /** @private */
    this._env = env;
    /** @private */
    this._random = random;
    /** @private */
    this._current = current;
    /** @private */
    this._isClosed = isClosed;
    /** Waiting for a connection. @private @type {Entry[]} */
    this._queue = [];
    /** Sent, waiting for a reply. @private @type {Map<string, Entry>} */
    this._pending = new Map();
    /** @private */
    this._refs = 0;
  }

  /**
   * A command with its ref, not yet sent.
   * @param {Command} command
   * @param {EntryOptions} [options]
   * @returns {Entry}
   */
  entry(command, { retry = 'some', map = (ack) => ack, onReply, onDropped, resolve = () => {}, reject = () => {} } = {}) {
    this._refs += 1;
    return { order: this._refs, ref: `p${this._refs}`, command: { ...command, ref: `p${this._refs}` },
      retry, map, onReply, onDropped, resolve, reject, attempts: 0, retried: false, conn: null };
  }

  /**
   * Sends a command now, or queues it until there is a connection (unless `queue` is false).
   * @param {Command} command
   * @param {{ retry?: Entry['retry'], queue?: boolean, map?: Entry['map'] }} [options]
   * @returns {Promise<any>} what `map` makes of the ack
   */
  command(command, { retry = 'some', queue = true, map } = {}) {
    if (this._isClosed()) {
      return Promise.reject(new ParleyError('closed', 'the client was closed'));
    }
    return new Promise((resolve, reject) => {
      const entry = this.entry(command, { retry, map, resolve, reject });
      const conn = this._current();
      if (conn) {
        this.send(conn, [entry]);
      } else if (queue) {
        this._queue.push(entry);
      } else {
        reject(new ParleyError('unavailable', 'not connected'));
      }
    });
  }

  /**
   * Sends now if connected, else drops it: for typing and pings.
   * @param {Command} command
   */
  fire(command) {
    const conn = this._current();
    if (conn) {
      this.send(conn, [this.entry(command, { retry: 'never' })]);
    }
  }

  /**
   * @param {Connection} conn
   * @param {Entry[]} entries sent in this order
   */
  send(conn, entries) {
    if (entries.length === 0) {
      return;
    }
    for (const entry of entries) {
      entry.conn = conn;
      this._pending.set(entry.ref, entry);
    }
    conn.sendCommands(entries.map((e) => e.command));
  }

  /** @returns {Entry[]} what waited for a connection, oldest first */
  takeQueued() {
    return this._queue.splice(0).sort((a, b) => a.order - b.order);
  }

  /**
   * @param {string} type
   * @returns {boolean} whether a command of this type waits for a connection
   */
  hasQueued(type) {
    return this._queue.some((e) => e.command.type === type);
  }

  /** Sends what waits, if there is a connection. */
  flush() {
    const conn = this._current();
    if (conn && this._queue.length > 0) {
      this.send(conn, this.takeQueued());
    }
  }

  /**
   * Takes back what was sent on a connection that is gone and got no reply: it goes again on the next.
   * @param {Connection} conn
   */
  takeBackFrom(conn) {
    for (const entry of [...this._pending.values()]) {
      // Commands POSTed by SSE and long-poll sessions are not taken back: their request still answers or fails.
      if (entry.conn === conn && conn.transport === 'websocket') {
        this._requeue(entry);
      }
    }
  }

  /**
   * Commands whose request failed (SSE and long-poll): sent again.
   * @param {Array<Record<string, unknown>>} commands
   */
  failed(commands) {
    for (const command of commands) {
      const entry = this._pending.get(String(command.ref));
      if (entry) {
        this._requeue(entry);
      }
    }
    this.flush();
  }

  /**
   * An ack, error or pong with a ref: settles its command, or retries it after a retryable error.
   * @param {WireFrame} reply
   */
  reply(reply) {
    const entry = this._pending.get(reply.ref ?? '');
    if (!entry) {
      return;
    }
    this._pending.delete(entry.ref);
    if (entry.onReply) {
      entry.onReply(reply);
      return;
    }
    if (reply.type === 'error') {
      const retry = entry.retry === 'always' || (entry.retry === 'some' && entry.attempts < 5);
      if (RETRYABLE.has(reply.code) && retry) {
        entry.attempts += 1;
        const delay = 100 + backoffDelay(entry.attempts, { baseMs: 250, capMs: 5000 }, this._random);
        this._env.setTimeout(() => {
          if (!this._isClosed()) {
            this._queue.push(entry);
            this.flush();
          }
        }, delay);
        return;
      }
      if (entry.retried && entry.command.type === 'delete' && reply.code === 'not_found') {
        entry.resolve(undefined); // our first attempt went through before the connection dropped
        return;
      }
      entry.reject(new ParleyError(reply.code, reply.message, { command: entry.command.type, room: entry.command.room }));
      return;
    }
    entry.resolve(entry.map(reply));
  }

  /**
   * Fails every command, sent or waiting (the client is closed).
   * @param {ParleyError} error
   */
  rejectAll(error) {
    for (const entry of [...this._pending.values(), ...this._queue.splice(0)]) {
      entry.reject(error);
    }
    this._pending.clear();
  }

  /**
   * @private
   * @param {Entry} entry
   */
  _requeue(entry) {
    this._pending.delete(entry.ref);
    entry.retried = true;
    if (entry.onReply) {
      entry.onDropped?.(); // subscriptions are derived again on the next connection
    } else if (entry.retry === 'never') {
      entry.resolve(undefined);
    } else {
      this._queue.push(entry);
    }
  }
}

// Typing indicators as the protocol wants them: announced once, renewed while typing goes on, ended by a pause.

/**
 * Typing indicator state of one room: `active: true` when typing starts and again every `renewMs` while it
 * goes on (the server ends typing 3 s after the last one), `active: false` after `idleMs` without a keystroke.
 */
class TypingState {
  /** @param {{ renewMs?: number, idleMs?: number }} [options] */
  constructor({ renewMs = 2000, idleMs = 2500 } = {}) {
    this.renewMs = renewMs;
    this.idleMs = idleMs;
    this.active = false;
    this.lastSentAt = -Infinity;
    this.lastKeyAt = -Infinity;
    /** The client's pending idle check. @type {unknown} */
    this.timer = undefined;
  }

  /**
   * A keystroke at `now`.
   * @param {number} now
   * @returns {boolean} true when `active: true` must be sent
   */
  keystroke(now) {
    this.lastKeyAt = now;
    if (!this.active || now - this.lastSentAt >= this.renewMs) {
      this.active = true;
      this.lastSentAt = now;
      return true;
    }
    return false;
  }

  /**
   * @param {number} now
   * @returns {boolean} true when the user stopped typing by `now` and `active: false` must be sent
   */
  idle(now) {
    if (this.active && now - this.lastKeyAt >= this.idleMs) {
      this.active = false;
      return true;
    }
    return false;
  }

  /**
   * Typing stops now (a message was sent).
   * @returns {boolean} true when `active: false` must be sent
   */
  stop() {
    const was = this.active;
    this.active = false;
    this.lastSentAt = -Infinity;
    return was;
  }
}

// What every transport gives the client: a Connection. Each transport opens one session and resolves with a
// Connection once the server's `welcome` arrived (within the deadline), or rejects; the Connection buffers
// what arrives until the client attaches to it.

/** @import { TransportName, Welcome, WireFrame } from '../types.js' */

/**
 * The browser APIs and settings a transport uses: the globals by default, fakes in tests.
 * @typedef {object} Env
 * @property {any} WebSocket
 * @property {any} EventSource
 * @property {typeof fetch | undefined} fetch
 * @property {(fn: () => void, ms: number) => unknown} setTimeout
 * @property {(id: unknown) => void} clearTimeout
 * @property {() => number} now
 * @property {number} welcomeTimeoutMs
 * @property {number} pollWaitSeconds
 * @property {number} commandTimeoutMs
 */

/**
 * Where the SSE and long-poll transports keep what survives a connection: their cursors and the session.
 * @typedef {object} ResumeState
 * @property {string | null} sseCursor
 * @property {string | null} pollCursor
 * @property {string | null} session
 */

/**
 * Why a connection ended. `terminal`: the server said not to reconnect; `auth`: the token was refused.
 * @typedef {object} LostInfo
 * @property {number} code
 * @property {string} reason
 * @property {boolean} [terminal]
 * @property {boolean} [auth]
 */

/**
 * What the client attaches to a connection.
 * @typedef {object} Sink
 * @property {(ev: WireFrame) => void} event
 * @property {(info: LostInfo) => void} lost
 * @property {(commands: Array<Record<string, unknown>>) => void} failed
 */

class Connection {
  /** @param {TransportName} transport */
  constructor(transport) {
    this.transport = transport;
    /** @type {Welcome | null} */
    this.welcome = null;
    this.closed = false;
    /** @private @type {Sink | null} */
    this._sink = null;
    /** @private @type {WireFrame[]} */
    this._buffer = [];
    /** @private @type {LostInfo | null} */
    this._lost = null;
    /** Sends commands in order; set by the transport. @type {(commands: Array<Record<string, unknown>>) => void} */
    this.sendCommands = () => {};
    /** Ends the connection without reporting it lost; set by the transport. @type {() => void} */
    this.close = () => {
      this.closed = true;
    };
  }

  /** @returns {string | undefined} */
  get session() {
    return this.welcome?.session;
  }

  /** @returns {number} */
  get heartbeatMs() {
    return this.welcome?.heartbeat_ms || 25000;
  }

  /** @param {Sink} sink */
  attach(sink) {
    this._sink = sink;
    for (const ev of this._buffer.splice(0)) {
      sink.event(ev);
    }
    if (this._lost) {
      sink.lost(this._lost);
    }
  }

  /** @param {WireFrame} ev */
  deliver(ev) {
    if (this._sink) {
      this._sink.event(ev);
    } else {
      this._buffer.push(ev);
    }
  }

  /** @param {LostInfo} info */
  lost(info) {
    if (this._lost || this.closed) {
      return;
    }
    this._lost = info;
    this._sink?.lost(info);
  }

  /**
   * Commands whose request failed: the client sends them again on the next connection.
   * @param {Array<Record<string, unknown>>} commands
   */
  failed(commands) {
    this._sink?.failed(commands);
  }
}

/**
 * The frame handler of a connection being opened: malformed frames are ignored, nothing counts before the
 * `welcome` (handed to `onWelcome` while the opening is unsettled), and every later event goes to `conn`.
 * @param {Connection} conn
 * @param {() => boolean} isSettled
 * @param {(welcome: Welcome) => void} onWelcome
 * @returns {(text: string) => void}
 */
function welcomeFirst(conn, isSettled, onWelcome) {
  return (text) => {
    let ev;
    try {
      ev = JSON.parse(text);
    } catch {
      return;
    }
    if (!isSettled()) {
      if (ev?.type === 'welcome') {
        onWelcome(ev);
      }
      return;
    }
    conn.deliver(ev);
  };
}

/**
 * The step of a transport's opening that failed, for the `fallback` event.
 * @param {any} error
 * @returns {'token' | 'ticket' | 'welcome' | 'connect' | 'open'}
 */
function failedStep(error) {
  const message = String(error?.message ?? '');
  if (error?.code === 'unauthorized') {
    return 'token';
  }
  if (message.startsWith('tickets')) {
    return 'ticket';
  }
  if (message.includes('no welcome within')) {
    return 'welcome';
  }
  if (message.includes('closed before welcome') || message.includes('stream failed before welcome')) {
    return 'connect';
  }
  return 'open';
}

// WebSocket: one socket for events and commands (GET /v1/ws).


/** @import { Env } from './connection.js' */

/**
 * @param {Env} env
 * @param {string} base the server's origin
 * @param {string} credential the query that authenticates (a ticket or the token)
 * @returns {Promise<Connection>}
 */
function openWebSocket(env, base, credential) {
  return new Promise((resolve, reject) => {
    const url = `${base.replace(/^http/, 'ws')}/v1/ws?${credential}`;
    const conn = new Connection('websocket');
    /** @type {any} */
    let ws;
    try {
      ws = new env.WebSocket(url);
    } catch (e) {
      reject(new ParleyError('transport', `websocket: ${/** @type {Error} */ (e).message}`));
      return;
    }
    let settled = false;
    /** @type {(message: string, code?: number) => void} */
    const fail = (message, code) => {
      if (!settled) {
        settled = true;
        env.clearTimeout(timer);
        ws.onclose = ws.onmessage = ws.onerror = null;
        try {
          ws.close();
        } catch {
          // already closing
        }
        reject(new ParleyError('transport', `websocket: ${message}`, { closeCode: code }));
      }
    };
    const timer = env.setTimeout(() => fail(`no welcome within ${env.welcomeTimeoutMs} ms`),
      env.welcomeTimeoutMs);
    const frame = welcomeFirst(conn, () => settled, (ev) => {
      settled = true;
      env.clearTimeout(timer);
      conn.welcome = ev;
      resolve(conn);
    });
    ws.onmessage = (/** @type {{ data: string }} */ m) => frame(m.data);
    ws.onerror = () => {};
    ws.onclose = (/** @type {{ code: number, reason: string }} */ e) => {
      if (!settled) {
        fail(`closed before welcome (${e.code})`, e.code);
      } else {
        conn.lost({ code: e.code, reason: e.reason || `websocket closed (${e.code})` });
      }
    };
    conn.sendCommands = (commands) => {
      if (ws.readyState !== 1) {
        conn.lost({ code: 1006, reason: 'websocket not open' }); // the client requeues what it sent here
        return;
      }
      for (const command of commands) {
        ws.send(JSON.stringify(command));
      }
    };
    conn.close = () => {
      conn.closed = true;
      ws.onclose = ws.onmessage = null;
      try {
        ws.close(1000, 'bye');
      } catch {
        // already closed
      }
    };
  });
}

// Commands of SSE and long-poll sessions, which cannot send on their event stream: POST /v1/commands.

/** @import { Connection, Env } from './connection.js' */

/**
 * POSTs commands one request at a time, so they keep their order; what arrives while a request is out goes
 * in the next one.
 * @param {Env} env
 * @param {string} base the server's origin
 * @param {Connection} conn
 * @param {string} token
 * @returns {(commands: Array<Record<string, unknown>>) => void}
 */
function httpCommandSender(env, base, conn, token) {
  /** @type {Array<Record<string, unknown>>} */
  const outbox = [];
  let inFlight = false;
  /** @returns {Promise<void>} */
  const post = async () => {
    if (inFlight || outbox.length === 0) {
      return;
    }
    inFlight = true;
    const batch = outbox.splice(0);
    try {
      const abort = new AbortController();
      const timer = env.setTimeout(() => abort.abort(), env.commandTimeoutMs);
      let response;
      try {
        response = await /** @type {typeof fetch} */ (env.fetch)(
          `${base}/v1/commands?session=${encodeURIComponent(conn.session ?? '')}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
            body: JSON.stringify(batch),
            signal: abort.signal,
          });
      } finally {
        env.clearTimeout(timer);
      }
      if (!response.ok) {
        conn.lost({ code: response.status, reason: `commands answered ${response.status}`, auth: response.status === 401 });
        conn.failed(batch);
        return;
      }
      const replies = await response.json();
      for (const reply of Array.isArray(replies) ? replies : [replies]) {
        conn.deliver(reply);
      }
    } catch (e) {
      conn.lost({ code: 0, reason: `commands failed: ${/** @type {Error} */ (e).message}` });
      conn.failed(batch);
    } finally {
      inFlight = false;
    }
    post();
  };
  return (commands) => {
    outbox.push(...commands);
    post();
  };
}

// Server-Sent Events: events on GET /v1/events, commands POSTed; resumes its server session with ?cursor=.


/** @import { Env, ResumeState } from './connection.js' */

/**
 * @param {Env} env
 * @param {string} base the server's origin
 * @param {string} token for the commands' requests
 * @param {string} credential the query that authenticates the stream (a ticket or the token)
 * @param {ResumeState} resume where the stream's cursor is kept across connections
 * @returns {Promise<Connection>}
 */
function openEventSource(env, base, token, credential, resume) {
  return new Promise((resolve, reject) => {
    let url = `${base}/v1/events?${credential}`;
    if (resume.sseCursor) {
      url += `&cursor=${encodeURIComponent(resume.sseCursor)}`;
    }
    const conn = new Connection('sse');
    /** @type {any} */
    let es;
    try {
      es = new env.EventSource(url);
    } catch (e) {
      reject(new ParleyError('transport', `sse: ${/** @type {Error} */ (e).message}`));
      return;
    }
    let settled = false;
    const timer = env.setTimeout(() => {
      if (!settled) {
        settled = true;
        es.close();
        reject(new ParleyError('transport', `sse: no welcome within ${env.welcomeTimeoutMs} ms`));
      }
    }, env.welcomeTimeoutMs);
    const frame = welcomeFirst(conn, () => settled, (ev) => {
      settled = true;
      env.clearTimeout(timer);
      conn.welcome = ev;
      resolve(conn);
    });
    /** @param {{ data: string, lastEventId?: string }} e */
    const onData = (e) => {
      if (e.lastEventId) {
        resume.sseCursor = e.lastEventId;
      }
      frame(e.data);
    };
    const onError = () => {
      // The browser would reconnect by itself; the client takes over instead, so that backoff, transport
      // choice and state events work the same way for every transport. It resumes with ?cursor=.
      es.close();
      if (!settled) {
        settled = true;
        env.clearTimeout(timer);
        reject(new ParleyError('transport', 'sse: stream failed before welcome'));
      } else {
        conn.lost({ code: 0, reason: 'event stream lost' });
      }
    };
    // Protocol events come without an `event:` field (onmessage); the server's goodbye is the named `close`.
    es.addEventListener('message', onData);
    es.addEventListener('error', (/** @type {any} */ e) => (typeof e.data === 'string' ? onData(e) : onError()));
    es.addEventListener('close', (/** @type {{ data: string }} */ e) => {
      /** @type {{ code?: number, reason?: string, reconnect?: boolean }} */
      let goodbye = {};
      try {
        goodbye = JSON.parse(e.data);
      } catch {
        // no details: resume as after any drop
      }
      es.close();
      if (settled) {
        conn.lost({ code: goodbye.code ?? 1001, reason: goodbye.reason || 'stream closed by the server',
          terminal: goodbye.reconnect === false });
      } else {
        onError();
      }
    });
    conn.sendCommands = httpCommandSender(env, base, conn, token);
    conn.close = () => {
      conn.closed = true;
      es.close();
    };
  });
}

// Long-polling: GET /v1/poll returns what is there or waits for it; its cursor resumes the server session.


/** @import { Env, ResumeState } from './connection.js' */
/** @import { WireFrame } from '../types.js' */

/**
 * @param {Env} env
 * @param {string} base the server's origin
 * @param {string} token sent in a header with every request
 * @param {ResumeState} resume where the poll cursor and the session are kept across connections
 * @returns {Promise<Connection>}
 */
async function openLongPoll(env, base, token, resume) {
  const headers = { Authorization: `Bearer ${token}` };
  const conn = new Connection('poll');
  /** @type {AbortController | null} */
  let polling = null;
  /**
   * @param {string} query
   * @param {number} waitSeconds
   * @returns {Promise<{ cursor: string, events?: WireFrame[] }>}
   */
  const get = async (query, waitSeconds) => {
    const abort = new AbortController();
    polling = abort;
    const timer = env.setTimeout(() => abort.abort(), (waitSeconds + 10) * 1000);
    try {
      const response = await /** @type {typeof fetch} */ (env.fetch)(`${base}/v1/poll${query}`,
        { headers, signal: abort.signal, cache: 'no-store' });
      if (!response.ok) {
        throw new ParleyError(response.status === 401 ? 'unauthorized' : 'transport',
          `long-poll answered ${response.status}`, { status: response.status });
      }
      return await response.json();
    } finally {
      env.clearTimeout(timer);
    }
  };
  let first = null;
  if (resume.pollCursor) {
    try {
      first = await get(`?cursor=${encodeURIComponent(resume.pollCursor)}&wait=0`, 0);
    } catch (e) {
      const status = /** @type {ParleyError} */ (e).status;
      if (status === 401 || !status) {
        throw e;
      }
      resume.pollCursor = null; // the server does not know this cursor any more: start a new session
    }
  }
  if (!first) {
    first = await get('', env.welcomeTimeoutMs / 1000);
  }
  let events = first.events || [];
  const welcome = events.find((ev) => ev.type === 'welcome');
  if (welcome) {
    conn.welcome = /** @type {any} */ (welcome);
    events = events.filter((ev) => ev !== welcome);
  } else if (resume.pollCursor && resume.session) {
    conn.welcome = { type: 'welcome', session: resume.session, transport: 'long-poll', resumed: true };
  } else {
    throw new ParleyError('transport', 'long-poll: no welcome');
  }
  resume.pollCursor = first.cursor;
  events.forEach((ev) => conn.deliver(ev));
  (async () => {
    while (!conn.closed) {
      let page;
      try {
        page = await get(`?cursor=${encodeURIComponent(resume.pollCursor ?? '')}&wait=${env.pollWaitSeconds}`,
          env.pollWaitSeconds);
      } catch (e) {
        if (!conn.closed) {
          const error = /** @type {ParleyError} */ (e);
          conn.lost({ code: error.status || 0, reason: error.message, auth: error.status === 401 });
        }
        return;
      }
      if (conn.closed) {
        return;
      }
      resume.pollCursor = page.cursor;
      (page.events || []).forEach((ev) => conn.deliver(ev));
    }
  })();
  conn.sendCommands = httpCommandSender(env, base, conn, token);
  conn.close = () => {
    conn.closed = true;
    /** @type {AbortController | null} */ (polling)?.abort();
  };
  return conn;
}

// The public client: picks a transport, reconnects, resumes, deduplicates and retries by itself. The
// transports (transports/) deliver frames and take commands; what survives a connection is in resume.js.


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
class Parley {
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

/** @import { ConnectionState } from './types.js' */

/**
 * Connection state as a short sentence: "connected via sse", "reconnecting in 4 s", "connecting…".
 * @param {ConnectionState} state
 * @returns {string}
 */
function describeState(state) {
  switch (state.status) {
    case 'connected':
      return `connected via ${state.transport === 'poll' ? 'long-poll' : state.transport}`;
    case 'reconnecting':
      return `reconnecting in ${Math.max(1, Math.ceil((state.retryInMs ?? 0) / 1000))} s`;
    case 'connecting':
      return 'connecting…';
    case 'closed':
      return state.error ? `disconnected: ${state.error.message}` : 'disconnected';
    default:
      return 'not connected';
  }
}

export { Parley, ParleyError, SeqTracker, TypingState, backoffDelay, Parley as default, describeState, newClientId };
