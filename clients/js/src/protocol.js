// What the client knows of wire protocol v1 (docs/protocol.md) beyond its shapes (types.ts): errors, which of
// them are worth a retry, which close codes end the connection for good, and idempotency keys for sends.

/** A server error reply ('forbidden', 'not_found', 'invalid', …) or a client-side failure ('closed'). */
export class ParleyError extends Error {
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
export const RETRYABLE = new Set(['unavailable', 'rate_limited']);

/** WebSocket close codes after which reconnecting cannot help. */
export const TERMINAL_CLOSE = new Set([1000, 1008, 1009, 4003]);

/**
 * A fresh client_id for an idempotent send.
 * @returns {string}
 */
export function newClientId() {
  if (globalThis.crypto?.randomUUID) {
    return globalThis.crypto.randomUUID();
  }
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}
