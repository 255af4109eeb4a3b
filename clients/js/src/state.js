/** @import { ConnectionState } from './types.js' */

/**
 * Connection state as a short sentence: "connected via sse", "reconnecting in 4 s", "connecting…".
 * @param {ConnectionState} state
 * @returns {string}
 */
export function describeState(state) {
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
