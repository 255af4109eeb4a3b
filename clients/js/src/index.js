// Parley browser client for wire protocol v1 (docs/protocol.md). The build (scripts/build.mjs) makes the one
// served file, parley.js, from these modules, and parley.d.ts from their types (with every type of types.ts).

export { Parley } from './client.js';
export { ParleyError, newClientId } from './protocol.js';
export { SeqTracker, backoffDelay } from './resume.js';
export { TypingState } from './typing.js';
export { describeState } from './state.js';
export { Parley as default } from './client.js';

