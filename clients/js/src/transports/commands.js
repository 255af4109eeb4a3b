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
export function httpCommandSender(env, base, conn, token) {
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
