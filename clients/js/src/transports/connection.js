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

export class Connection {
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
export function welcomeFirst(conn, isSettled, onWelcome) {
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
export function failedStep(error) {
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
