// Pure logic of the client: backoff, seq bookkeeping, typing, state sentences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, describeState, newClientId, SeqTracker, TypingState } from '../parley.js';

test('backoff grows exponentially up to the cap, with full jitter below the ceiling', () => {
  const top = () => 0.999999;
  assert.equal(backoffDelay(0, { baseMs: 500, capMs: 30000 }, top), 499);
  assert.equal(backoffDelay(1, { baseMs: 500, capMs: 30000 }, top), 999);
  assert.equal(backoffDelay(3, { baseMs: 500, capMs: 30000 }, top), 3999);
  assert.equal(backoffDelay(10, { baseMs: 500, capMs: 30000 }, top), 29999);
  assert.equal(backoffDelay(5000, { baseMs: 500, capMs: 30000 }, top), 29999, 'huge attempts stay capped');
  assert.equal(backoffDelay(4, { baseMs: 500, capMs: 30000 }, () => 0), 0, 'full jitter reaches zero');
  assert.equal(backoffDelay(2, { baseMs: 500, capMs: 30000 }, () => 0.5), 1000);
});

test('backoff delays of many clients spread over the whole window', () => {
  const delays = Array.from({ length: 2000 }, () => backoffDelay(6, { baseMs: 100, capMs: 10000 }));
  assert.ok(delays.every((d) => d >= 0 && d < 6400));
  assert.ok(Math.min(...delays) < 640 && Math.max(...delays) > 5760, 'covers the low and the high tenth');
});

test('a seq tracker delivers each seq once, in order, and reports gaps', () => {
  const seq = new SeqTracker();
  assert.equal(seq.accept('r', 5), 'new', 'the first event of a live subscription starts the cursor');
  assert.equal(seq.accept('r', 6), 'new');
  assert.equal(seq.accept('r', 6), 'duplicate');
  assert.equal(seq.accept('r', 3), 'duplicate');
  assert.equal(seq.accept('r', 9), 'gap');
  assert.equal(seq.cursor('r'), 6, 'a gap does not move the cursor');
  assert.equal(seq.accept('r', 7), 'new');
  assert.equal(seq.accept('other', 1), 'new', 'rooms are independent');
});

test('a seeded room treats everything up to the seed as seen', () => {
  const seq = new SeqTracker();
  seq.seed('r', 0);
  assert.equal(seq.accept('r', 2), 'gap');
  assert.equal(seq.accept('r', 1), 'new');
  seq.seed('r', 10);
  assert.equal(seq.cursor('r'), 1, 'a seed never overrides what was seen');
});

test('resume points come from the last seq seen, else from the subscribe ack', () => {
  const seq = new SeqTracker();
  seq.floor('quiet', 12);
  seq.accept('busy', 3);
  seq.floor('busy', 1);
  assert.equal(seq.resumePoint('quiet'), 12);
  assert.equal(seq.resumePoint('busy'), 3);
  assert.equal(seq.resumePoint('unknown'), undefined);
  assert.deepEqual(seq.afterMap(), { quiet: 12, busy: 3 });
  seq.forget('busy');
  assert.deepEqual(seq.afterMap(), { quiet: 12 });
});

test('typing is announced once, renewed while it goes on and ends after a pause', () => {
  const t = new TypingState({ renewMs: 2000, idleMs: 2500 });
  assert.equal(t.keystroke(0), true);
  assert.equal(t.keystroke(500), false);
  assert.equal(t.keystroke(1999), false);
  assert.equal(t.keystroke(2000), true, 'renewed before the server lets it expire');
  assert.equal(t.idle(4000), false);
  assert.equal(t.idle(4500), true);
  assert.equal(t.idle(9000), false, 'ends once');
  assert.equal(t.keystroke(9100), true, 'a new burst starts again');
  assert.equal(t.stop(), true);
  assert.equal(t.stop(), false);
});

test('connection states read as short sentences', () => {
  assert.equal(describeState({ status: 'connected', transport: 'sse' }), 'connected via sse');
  assert.equal(describeState({ status: 'connected', transport: 'poll' }), 'connected via long-poll');
  assert.equal(describeState({ status: 'reconnecting', retryInMs: 3200 }), 'reconnecting in 4 s');
  assert.equal(describeState({ status: 'reconnecting', retryInMs: 0 }), 'reconnecting in 1 s');
  assert.equal(describeState({ status: 'connecting' }), 'connecting…');
  assert.equal(describeState({ status: 'closed' }), 'disconnected');
});

test('client ids are unique', () => {
  const ids = new Set(Array.from({ length: 1000 }, newClientId));
  assert.equal(ids.size, 1000);
});
