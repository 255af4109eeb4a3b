// The commands of a client, across its connections: each gets a ref, waits for its reply, is queued while there
// is no connection, and is sent again after a connection is lost before it was answered, or after a retryable
// error. What is retried, and how often, is the command's `retry`.

import { ParleyError, RETRYABLE } from './protocol.js';
import { backoffDelay } from './resume.js';

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

export class Outbox {
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
