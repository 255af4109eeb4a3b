// Session and resume: what the client remembers across connections so that nothing is lost or repeated.

/**
 * The last seq seen per room: decides whether a durable event is new, a duplicate (already delivered: drop it)
 * or comes after a gap (something is missing: resubscribe from the cursor), and gives the resume points.
 */
export class SeqTracker {
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
export function backoffDelay(attempt, { baseMs = 500, capMs = 30000 } = {}, random = Math.random) {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.floor(random() * ceiling);
}
