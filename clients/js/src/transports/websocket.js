// WebSocket: one socket for events and commands (GET /v1/ws).

import { ParleyError } from '../protocol.js';
import { Connection, welcomeFirst } from './connection.js';

/** @import { Env } from './connection.js' */

/**
 * @param {Env} env
 * @param {string} base the server's origin
 * @param {string} credential the query that authenticates (a ticket or the token)
 * @returns {Promise<Connection>}
 */
export function openWebSocket(env, base, credential) {
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
