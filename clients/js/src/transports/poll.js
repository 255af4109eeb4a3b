// Long-polling: GET /v1/poll returns what is there or waits for it; its cursor resumes the server session.

import { ParleyError } from '../protocol.js';
import { httpCommandSender } from './commands.js';
import { Connection } from './connection.js';

/** @import { Env, ResumeState } from './connection.js' */
/** @import { WireFrame } from '../types.js' */

/**
 * @param {Env} env
 * @param {string} base the server's origin
 * @param {string} token sent in a header with every request
 * @param {ResumeState} resume where the poll cursor and the session are kept across connections
 * @returns {Promise<Connection>}
 */
export async function openLongPoll(env, base, token, resume) {
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
