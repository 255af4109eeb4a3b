// Typing indicators as the protocol wants them: announced once, renewed while typing goes on, ended by a pause.

/**
 * Typing indicator state of one room: `active: true` when typing starts and again every `renewMs` while it
 * goes on (the server ends typing 3 s after the last one), `active: false` after `idleMs` without a keystroke.
 */
export class TypingState {
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
