// Server-Sent Events: events on GET /v1/events, commands POSTed; resumes its server session with ?cursor=.

import { ParleyError } from '../protocol.js';
import { httpCommandSender } from './commands.js';
import { Connection, welcomeFirst } from './connection.js';

/** @import { Env, ResumeState } from './connection.js' */

/**
 * @param {Env} env
 * @param {string} base the server's origin
 * @param {string} token for the commands' requests
 * @param {string} credential the query that authenticates the stream (a ticket or the token)
 * @param {ResumeState} resume where the stream's cursor is kept across connections
 * @returns {Promise<Connection>}
 */
export function openEventSource(env, base, token, credential, resume) {
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
