// The client's behaviour over fake transports and a manual clock: queueing, resume, dedupe, fallback,
// re-probe, liveness and close codes.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { Parley } from '../parley.js';
import { FakeClock, FakeEventSource, FakeWebSocket, fakeFetch, message, settle, welcome } from '../test-support/fakes.js';

let clock;

beforeEach(() => {
  clock = new FakeClock();
  FakeWebSocket.instances = [];
  FakeEventSource.instances = [];
});

function client(options = {}) {
  return new Parley({
    url: 'http://chat.test',
    token: 'T',
    WebSocket: FakeWebSocket,
    EventSource: FakeEventSource,
    fetch: fakeFetch(() => ({ status: 503 })).fetch,
    tickets: false, // the tests of connect tickets below turn them on (the default)
    timers: clock.api(),
    random: () => 0.5,
    ...options,
  });
}

/** Starts connecting; close() rejects the promise, which these tests do not wait for. */
function start(c) {
  c.connect().catch(() => {});
}

function ack(command, extra = {}) {
  return { type: 'ack', ref: command.ref, ...extra };
}

test('a send made while disconnected is queued and goes out after the subscriptions once connected', async () => {
  const c = client();
  const seen = [];
  c.subscribe('r1', { message: (ev) => seen.push(ev.seq) }, { after: 0 });
  const sent = c.send('r1', 'hello', { clientId: 'cid-1' });
  const connected = c.connect();
  await settle();
  const ws = FakeWebSocket.last();
  assert.match(ws.url, /^ws:\/\/chat\.test\/v1\/ws\?access_token=T$/);
  assert.equal(ws.sent.length, 0, 'nothing is sent before the welcome');
  ws.receive(welcome('s1'));
  await settle();
  assert.deepEqual(await connected, { transport: 'websocket', session: 's1', user: 'alice', resumed: false });
  assert.deepEqual(ws.sent.map((c) => [c.type, c.after, c.client_id]),
    [['subscribe', 0, undefined], ['send', undefined, 'cid-1']]);
  ws.receive(message('r1', 1, 'old'));
  ws.receive(ack(ws.sent[0], { room: 'r1', last_seq: 1, replayed: 1, complete: true }));
  ws.receive(message('r1', 2, 'hello'));
  ws.receive(ack(ws.sent[1], { message: { id: 'm2', seq: 2, body: 'hello' } }));
  assert.deepEqual(await sent, { id: 'm2', seq: 2, body: 'hello' });
  assert.deepEqual(seen, [1, 2]);
  c.close();
});

test('after a drop the client reconnects with backoff, resumes from the last seq and resends unacked sends', async () => {
  const c = client();
  const seen = [];
  const states = [];
  c.on('state', (s) => states.push(s.status));
  c.subscribe('r1', { message: (ev) => seen.push(ev.seq) });
  start(c);
  await settle();
  let ws = FakeWebSocket.last();
  ws.receive(welcome('s1'));
  await settle();
  ws.receive(ack(ws.sent[0], { room: 'r1', last_seq: 4, replayed: 0, complete: true }));
  ws.receive(message('r1', 5, 'a'));
  ws.receive(message('r1', 6, 'b'));
  const sent = c.send('r1', 'lost in flight', { clientId: 'cid-2' });
  assert.equal(ws.sent[1].client_id, 'cid-2');
  ws.drop(1001, 'going away');
  assert.equal(c.state.status, 'reconnecting');
  assert.equal(c.state.retryInMs, 250, 'full jitter: random 0.5 of the 500 ms first ceiling');
  await clock.advance(249);
  assert.equal(FakeWebSocket.instances.length, 1, 'waits for the backoff');
  await clock.advance(1);
  ws = FakeWebSocket.last();
  assert.equal(FakeWebSocket.instances.length, 2);
  ws.receive(welcome('s2'));
  await settle();
  assert.deepEqual(ws.sent.map((c) => [c.type, c.room, c.after, c.client_id]),
    [['subscribe', 'r1', 6, undefined], ['send', 'r1', undefined, 'cid-2']]);
  ws.receive(message('r1', 6, 'b'));
  ws.receive(message('r1', 7, 'lost in flight'));
  ws.receive(ack(ws.sent[1], { message: { id: 'm7', seq: 7 } }));
  assert.equal((await sent).seq, 7);
  assert.deepEqual(seen, [5, 6, 7], 'the replayed 6 is dropped as a duplicate');
  assert.deepEqual(states, ['connecting', 'connected', 'reconnecting', 'connecting', 'connected']);
  c.close();
});

test('reconnect attempts back off exponentially and never give up', async () => {
  const c = client({ random: () => 0.999, backoffCapMs: 4000 });
  const delays = [];
  c.on('reconnecting', (r) => delays.push(r.inMs));
  start(c);
  for (let i = 0; i < 8; i++) {
    await settle();
    FakeWebSocket.last().drop(1006);
    await clock.advance(10); // SSE and long-poll fail too: the fake EventSource errors, fetch answers 503
    FakeEventSource.last()?.fail();
    await clock.advance(5000);
  }
  assert.deepEqual(delays.slice(0, 6), [499, 999, 1998, 3996, 3996, 3996]);
  assert.ok(delays.length >= 8);
  c.close();
});

test('a WebSocket that upgrades but sends no welcome counts as failed and the client falls back to SSE', async () => {
  const { fetch, calls } = fakeFetch(() => ({ body: [] }));
  const c = client({ fetch, welcomeTimeoutMs: 3000, reprobeMs: 10000 });
  const transports = [];
  const fallbacks = [];
  c.on('connected', (info) => transports.push(info.transport));
  c.on('fallback', (info) => fallbacks.push(info));
  c.subscribe('r1', {}, { after: 3 });
  start(c);
  await settle();
  const blocked = FakeWebSocket.last();
  await clock.advance(2999);
  assert.equal(FakeEventSource.instances.length, 0);
  await clock.advance(1);
  assert.ok(blocked.closedByClient, 'the silent socket is closed');
  const es = FakeEventSource.last();
  assert.equal(es.url, 'http://chat.test/v1/events?access_token=T');
  es.receive(welcome('sse-1', 'sse'), 'cur-1');
  await settle();
  assert.equal(c.transport, 'sse');
  assert.equal(fallbacks.length, 1, 'the app learns why it is not on WebSocket');
  assert.equal(fallbacks[0].transport, 'sse');
  assert.deepEqual(fallbacks[0].failed.map((f) => [f.transport, f.step]), [['websocket', 'welcome']]);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].url, 'http://chat.test/v1/commands?session=sse-1');
  assert.equal(calls[0].init.headers.Authorization, 'Bearer T');
  assert.deepEqual(calls[0].body.map((c) => [c.type, c.after]), [['subscribe', 3]]);
  es.receive(message('r1', 4, 'via sse'), 'cur-2');

  // The re-probe finds WebSocket working again: the client switches and resumes from seq 4.
  await clock.advance(10000);
  const probe = FakeWebSocket.last();
  assert.notEqual(probe, blocked);
  probe.receive(welcome('ws-2'));
  await settle();
  assert.equal(c.transport, 'websocket');
  assert.ok(es.closed, 'the SSE stream is closed after the switch');
  assert.deepEqual(probe.sent.map((c) => [c.type, c.room, c.after]), [['subscribe', 'r1', 4]]);
  assert.deepEqual(transports, ['sse', 'websocket']);
  c.close();
});

test('a failed re-probe keeps the fallback and probes again later', async () => {
  const { fetch } = fakeFetch(() => ({ body: [] }));
  const c = client({ fetch, welcomeTimeoutMs: 1000, reprobeMs: 5000 });
  const probes = [];
  c.on('probe', (p) => probes.push(p.ok));
  start(c);
  await settle();
  FakeWebSocket.last().drop(1006);
  await settle();
  FakeEventSource.last().receive(welcome('s', 'sse'));
  await settle();
  await clock.advance(5000);
  FakeWebSocket.last().drop(1006);
  await settle();
  assert.equal(c.transport, 'sse');
  await clock.advance(5000);
  assert.equal(FakeWebSocket.instances.length, 3, 'probed again');
  assert.deepEqual(probes, [false]);
  c.close();
});

test('a WebSocket lost and refused while the server restarts is probed again within two seconds of a fallback', async () => {
  const c = client({ reprobeMs: 30000 });
  const transports = [];
  c.on('connected', (info) => transports.push(info.transport));
  start(c);
  await settle();
  FakeWebSocket.last().receive(welcome('s1'));
  await settle();
  FakeWebSocket.last().drop(1006); // the server goes away
  await clock.advance(1000);
  const refused = FakeWebSocket.last();
  refused.drop(1006); // still away when the reconnect tries WebSocket, back when it tries SSE
  await settle();
  FakeEventSource.last().receive(welcome('s1', 'sse'));
  await settle();
  assert.equal(c.transport, 'sse');

  await clock.advance(2000);
  const probe = FakeWebSocket.last();
  assert.notEqual(probe, refused, 'probed again long before reprobeMs');
  probe.receive(welcome('s1'));
  await settle();
  assert.equal(c.transport, 'websocket');
  assert.deepEqual(transports, ['websocket', 'sse', 'websocket']);
  c.close();
});

test('a forced transport is the only one tried', async () => {
  const { fetch, calls } = fakeFetch((url) => (url.includes('/v1/poll?cursor=')
    ? new Promise(() => {}) : { body: { events: [welcome('p1', 'long-poll')], cursor: 'c1' } }));
  const c = client({ fetch, transport: 'poll' });
  await c.connect();
  assert.equal(c.transport, 'poll');
  assert.equal(FakeWebSocket.instances.length, 0);
  assert.equal(FakeEventSource.instances.length, 0);
  assert.equal(calls[0].url, 'http://chat.test/v1/poll');
  assert.match(calls[1].url, /\/v1\/poll\?cursor=c1&wait=25$/);
  c.close();
});

test('long-poll resumes with its cursor after a failed poll, and delivers each event once', async () => {
  let polls = 0;
  const { fetch, calls } = fakeFetch((url) => {
    if (url.endsWith('/v1/poll')) {
      return { body: { events: [welcome('p1', 'long-poll')], cursor: 'c1' } };
    }
    if (url.includes('/v1/poll?')) {
      polls += 1;
      if (polls === 1) {
        return { body: { events: [message('r1', 1, 'one')], cursor: 'c2' } };
      }
      if (polls === 2) {
        throw new TypeError('network down');
      }
      if (polls === 3) {
        return { body: { events: [message('r1', 1, 'one'), message('r1', 2, 'two')], cursor: 'c3' } };
      }
      return new Promise(() => {});
    }
    return { body: [] };
  });
  const c = client({ fetch, transport: 'poll' });
  const seen = [];
  c.subscribe('r1', { message: (ev) => seen.push(ev.seq) });
  await c.connect();
  await settle();
  assert.equal(c.state.status, 'reconnecting');
  await clock.advance(1000);
  assert.deepEqual(seen, [1, 2]);
  const resumedPoll = calls.find((call) => call.url.includes('cursor=c2&wait=0'));
  assert.ok(resumedPoll, 'the first poll after the failure resumes from the last cursor');
  assert.equal(c.transport, 'poll');
  c.close();
});

test('liveness is judged by the last frame: a late timer only pings, an unanswered ping reconnects', async () => {
  const c = client();
  start(c);
  await settle();
  const ws = FakeWebSocket.last();
  ws.receive(welcome('s1')); // heartbeat 20 s
  await settle();
  clock.jump(120000); // the tab was in the background and no timer ran for two minutes
  await clock.advance(1000);
  assert.deepEqual(ws.sent.map((c) => c.type), ['ping'], 'a late check pings instead of declaring the link dead');
  ws.receive({ type: 'pong', ref: ws.sent[0].ref });
  await clock.advance(9000);
  assert.equal(ws.sent.length, 1, 'no ping while the line was heard from within half a heartbeat');
  await clock.advance(1000);
  assert.equal(ws.sent.length, 2, 'pings when the line has been quiet for half a heartbeat');
  ws.receive({ type: 'pong', ref: ws.sent[1].ref });
  await clock.advance(10000);
  assert.equal(c.state.status, 'connected');
  assert.equal(ws.sent[2].type, 'ping');
  await clock.advance(11000); // no pong, no frame at all: dead within the pong timeout plus one check
  assert.ok(ws.closedByClient);
  assert.equal(c.state.status, 'reconnecting');
  c.close();
});

test('incoming frames keep the connection alive without pings', async () => {
  const c = client();
  start(c);
  await settle();
  const ws = FakeWebSocket.last();
  ws.receive(welcome('s1'));
  await settle();
  for (let i = 0; i < 10; i++) {
    await clock.advance(5000);
    ws.receive({ type: 'typing', room: 'r', user: 'bob', active: true });
  }
  assert.equal(ws.sent.filter((c) => c.type === 'ping').length, 0);
  c.close();
});

test('close 4001 fetches a new token before reconnecting; 4003 stops for good', async () => {
  let issued = 0;
  const c = client({ token: async () => `tok${++issued}` });
  start(c);
  await settle();
  FakeWebSocket.last().receive(welcome('s1'));
  await settle();
  FakeWebSocket.last().drop(4001, 'token expired');
  await clock.advance(1000);
  assert.match(FakeWebSocket.last().url, /access_token=tok2$/);
  FakeWebSocket.last().receive(welcome('s2'));
  await settle();
  const errors = [];
  c.on('error', (e) => errors.push(e.closeCode));
  FakeWebSocket.last().drop(4003, 'forbidden');
  await clock.advance(60000);
  assert.equal(FakeWebSocket.instances.length, 2);
  assert.equal(c.state.status, 'closed');
  assert.deepEqual(errors, [4003]);
});

test('sends rejected as unavailable are retried until acked; other errors reject', async () => {
  const c = client();
  start(c);
  await settle();
  const ws = FakeWebSocket.last();
  ws.receive(welcome('s1'));
  await settle();
  const sent = c.send('r1', 'hi', { clientId: 'same' });
  ws.receive({ type: 'error', ref: ws.sent[0].ref, code: 'unavailable', message: 'store down' });
  await clock.advance(6000);
  assert.equal(ws.sent.length, 2);
  assert.equal(ws.sent[1].client_id, 'same', 'the retry carries the same client_id');
  ws.receive(ack(ws.sent[1], { message: { id: 'm1' } }));
  assert.deepEqual(await sent, { id: 'm1' });
  const edit = c.edit('r1', 'm1', 'x');
  ws.receive({ type: 'error', ref: ws.sent[2].ref, code: 'forbidden', message: 'not yours' });
  await assert.rejects(edit, { code: 'forbidden' });
  c.close();
});

test('an incomplete replay continues from the last replayed seq; a gap resubscribes', async () => {
  const c = client();
  const seen = [];
  c.subscribe('*', { message: (ev) => seen.push(`${ev.room}:${ev.seq}`) }, { after: { a: 0 } });
  start(c);
  await settle();
  const ws = FakeWebSocket.last();
  ws.receive(welcome('s1'));
  await settle();
  assert.deepEqual(ws.sent[0].after, { a: 0 });
  ws.receive(message('a', 1, 'x'));
  ws.receive(message('a', 2, 'y'));
  ws.receive(ack(ws.sent[0], { rooms: [{ room: 'a', last_seq: 9, replayed: 2, complete: false },
    { room: 'b', last_seq: 4, replayed: 0, complete: true }] }));
  assert.deepEqual(ws.sent[1], { type: 'subscribe', room: '*', after: { a: 2, b: 4 }, ref: ws.sent[1].ref });
  ws.receive(ack(ws.sent[1], { rooms: [] }));
  ws.receive(message('b', 7, 'skipped ahead'));
  assert.equal(ws.sent.length, 2, 'the first event of a live-only room is taken as it comes');
  ws.receive(message('b', 9, 'after a gap'));
  assert.deepEqual(ws.sent[2].after, { a: 2, b: 7 });
  assert.deepEqual(seen, ['a:1', 'a:2', 'b:7']);
  c.close();
});

test('a room_updated event reaches its handlers and counts as a seq like any durable event', async () => {
  const c = client();
  const updates = [];
  const all = [];
  c.subscribe('r1', { room_updated: (ev) => updates.push(ev.name), event: (ev) => all.push(`${ev.type}:${ev.seq}`) });
  start(c);
  await settle();
  const ws = FakeWebSocket.last();
  ws.receive(welcome('s1'));
  await settle();
  ws.receive(ack(ws.sent[0], { room: 'r1', last_seq: 3, replayed: 0, complete: true }));
  const updated = { type: 'room_updated', room: 'r1', seq: 4, by: 'olga', changed: ['name'], name: 'Renamed',
    visibility: 'open', topic: null, avatar_url: null, metadata: {}, archived: false, updated_at: '2026-01-01T00:00:00Z' };
  ws.receive(updated);
  ws.receive(updated);
  ws.receive(message('r1', 5, 'after'));
  assert.deepEqual(updates, ['Renamed'], 'the repeat is a duplicate and dropped');
  assert.deepEqual(all, ['room_updated:4', 'message:5']);
  c.close();
});

test('after its own member_banned the client forgets the room, so a later rejoin is taken as it comes', async () => {
  const c = client();
  const seen = [];
  c.subscribe('*', { event: (ev) => seen.push(`${ev.type}:${ev.seq}`) });
  start(c);
  await settle();
  const ws = FakeWebSocket.last();
  ws.receive(welcome('s1'));
  await settle();
  ws.receive(ack(ws.sent[0], { rooms: [{ room: 'r1', last_seq: 4, replayed: 0, complete: true }] }));
  ws.receive({ type: 'member_banned', room: 'r1', seq: 5, user: 'alice', by: 'olga' });
  // unbanned at 6 (not delivered: no longer a member), rejoined at 7
  ws.receive({ type: 'member_joined', room: 'r1', seq: 7, user: 'alice' });
  assert.deepEqual(seen, ['member_banned:5', 'member_joined:7']);
  assert.equal(ws.sent.length, 1, 'no resubscription for a gap');
  c.close();
});

test('a send may answer a message and mention users (nothing extra goes out without them); reactions go out', async () => {
  const c = client();
  start(c);
  await settle();
  const ws = FakeWebSocket.last();
  ws.receive(welcome('s1'));
  await settle();
  c.send('r1', 'yes', { replyTo: 'm-1', mentions: ['bob'] }).catch(() => {}); // never acked: closed below
  c.send('r1', 'plain', { mentions: [] }).catch(() => {});
  c.react('r1', 'm-1', '👍').catch(() => {});
  c.unreact('r1', 'm-1', '👍').catch(() => {});
  await settle();
  const sends = ws.sent.filter((m) => m.type === 'send');
  assert.equal(sends[0].reply_to, 'm-1');
  assert.deepEqual(sends[0].mentions, ['bob']);
  assert.ok(!('reply_to' in sends[1]) && !('mentions' in sends[1]));
  assert.deepEqual(ws.sent.filter((m) => m.type.endsWith('react')).map((m) => [m.type, m.message_id, m.emoji]),
    [['react', 'm-1', '👍'], ['unreact', 'm-1', '👍']]);
  c.close();
});

test('typing renews while the user types and stops by itself', async () => {
  const c = client();
  start(c);
  await settle();
  const ws = FakeWebSocket.last();
  ws.receive(welcome('s1'));
  await settle();
  for (let i = 0; i < 10; i++) {
    c.typing('r1');
    await clock.advance(500);
  }
  await clock.advance(3000);
  assert.deepEqual(ws.sent.map((c) => `${c.type}:${c.active}`),
    ['typing:true', 'typing:true', 'typing:true', 'typing:false']);
  c.close();
});

test('away presence is restored on a new session', async () => {
  const c = client();
  start(c);
  await settle();
  FakeWebSocket.last().receive(welcome('s1'));
  await settle();
  c.setPresence('away').catch(() => {}); // close() rejects it: never acked here
  FakeWebSocket.last().drop(1001);
  await clock.advance(1000);
  const ws = FakeWebSocket.last();
  ws.receive(welcome('s2'));
  await settle();
  assert.deepEqual(ws.sent.map((c) => [c.type, c.status]), [['presence', 'away']]);
  c.close();
});

test('an SSE stream that ends resumes the same session with its cursor, without subscribing again', async () => {
  const { fetch, calls } = fakeFetch((url, init) => ({
    body: JSON.parse(init.body).map((cmd) => ({ type: 'ack', ref: cmd.ref, room: cmd.room, last_seq: 0, complete: true })),
  }));
  const c = client({ fetch, transport: 'sse' });
  const seen = [];
  c.subscribe('r1', { message: (ev) => seen.push(ev.seq) }, { after: 0 });
  start(c);
  await settle();
  let es = FakeEventSource.last();
  es.receive(welcome('S', 'sse'), 'c0');
  await settle();
  es.receive(message('r1', 1, 'a'), 'c1');
  es.goodbye(1001, true);
  assert.ok(es.closed);
  await clock.advance(1000);
  es = FakeEventSource.last();
  assert.equal(FakeEventSource.instances.length, 2);
  assert.match(es.url, /\?access_token=T&cursor=c1$/);
  es.receive(welcome('S', 'sse', { resumed: true }), 'c1');
  es.receive(message('r1', 2, 'b'), 'c2');
  await settle();
  assert.deepEqual(calls.map((call) => call.body.map((cmd) => cmd.type)), [['subscribe']], 'not subscribed again');
  assert.deepEqual(seen, [1, 2]);
  c.close();
});

test('a long-poll session that expired comes back as a new session and is subscribed again from the seqs seen',
  async () => {
    let polls = 0;
    const { fetch, calls } = fakeFetch((url) => {
      if (url.endsWith('/v1/poll')) {
        return { body: { events: [welcome('old', 'long-poll')], cursor: 'c1' } };
      }
      if (url.includes('/v1/poll?')) {
        polls += 1;
        if (polls === 1) {
          return { body: { events: [message('r1', 8, 'x')], cursor: 'c2' } };
        }
        if (polls === 2) {
          return { body: { events: [welcome('new', 'long-poll')], cursor: 'c3' } };
        }
        return new Promise(() => {});
      }
      return { body: [] };
    });
    const c = client({ fetch, transport: 'poll' });
    c.subscribe('r1', {});
    await c.connect();
    await settle();
    const posts = calls.filter((call) => call.url.includes('/v1/commands'));
    assert.deepEqual(posts.map((p) => [p.url.split('session=')[1], p.body[0].type, p.body[0].after]),
      [['old', 'subscribe', undefined], ['new', 'subscribe', 8]]);
    c.close();
  });

test('a goodbye that says not to reconnect closes the client', async () => {
  const c = client({ transport: 'sse', fetch: fakeFetch(() => ({ body: [] })).fetch });
  start(c);
  await settle();
  FakeEventSource.last().receive(welcome('S', 'sse'));
  await settle();
  FakeEventSource.last().goodbye(4003, false);
  await clock.advance(60000);
  assert.equal(c.state.status, 'closed');
  assert.equal(FakeEventSource.instances.length, 1);
});

test('a long-poll session whose command POST fails stops polling before its successor starts', async () => {
  const signals = [];
  let failPosts = true;
  const { fetch } = fakeFetch((url, init) => {
    if (url.endsWith('/v1/poll')) {
      return { body: { events: [welcome('p1', 'long-poll')], cursor: 'c1' } };
    }
    if (url.includes('wait=0')) {
      return { body: { events: [], cursor: 'c2' } }; // the resumed session answers at once
    }
    if (url.includes('/v1/poll?')) {
      signals.push(init.signal);
      return new Promise(() => {});
    }
    if (failPosts) {
      throw new TypeError('connection refused');
    }
    return { body: JSON.parse(init.body).map((cmd) => ({ type: 'ack', ref: cmd.ref, message: { id: 'm' } })) };
  });
  const c = client({ fetch, transport: 'poll' });
  await c.connect();
  await settle();
  assert.equal(signals.length, 1);
  const sent = c.send('r1', 'hi', { clientId: 'k' });
  await settle();
  assert.ok(signals[0].aborted, 'the old poll is abandoned');
  failPosts = false;
  await clock.advance(1000);
  assert.equal(c.transport, 'poll');
  assert.deepEqual(await sent, { id: 'm' }, 'the send went again on the new connection');
  assert.equal(signals.filter((s) => !s.aborted).length, 1, 'exactly one poll in flight');
  c.close();
});

test('by default a WebSocket URL carries a connect ticket fetched with the token in a header, a new one per connection', async () => {
  let issued = 0;
  const { fetch, calls } = fakeFetch((url) => (url.endsWith('/v1/tickets')
    ? { body: { ticket: `K${++issued}`, expires_in: 30 } } : { status: 503 }));
  const c = client({ fetch, tickets: undefined });
  start(c);
  await settle();
  assert.equal(calls[0].url, 'http://chat.test/v1/tickets');
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(calls[0].init.headers.Authorization, 'Bearer T');
  const ws = FakeWebSocket.last();
  assert.equal(ws.url, 'ws://chat.test/v1/ws?ticket=K1');
  ws.receive(welcome('s1'));
  await settle();
  ws.drop(1006);
  await clock.advance(1000);
  await settle();
  assert.equal(FakeWebSocket.last().url, 'ws://chat.test/v1/ws?ticket=K2', 'a ticket opens one connection');
  c.close();
});

test('an event stream URL carries a ticket too, and a server without tickets gets access_token', async () => {
  const { fetch } = fakeFetch((url) => (url.endsWith('/v1/tickets') ? { body: { ticket: 'K' } } : { body: [] }));
  const c = client({ transport: 'sse', fetch, tickets: undefined });
  start(c);
  await settle();
  assert.equal(FakeEventSource.last().url, 'http://chat.test/v1/events?ticket=K');
  c.close();

  const older = fakeFetch((url) => (url.endsWith('/v1/tickets') ? { status: 404 } : { status: 503 }));
  const d = client({ fetch: older.fetch, tickets: undefined });
  start(d);
  await settle();
  assert.equal(FakeWebSocket.last().url, 'ws://chat.test/v1/ws?access_token=T');
  d.close();
});

test('a WebSocket refused before its welcome is reported as a fallback with its close code', async () => {
  const c = client({ transport: 'auto', fetch: fakeFetch(() => ({ body: [] })).fetch });
  const fallbacks = [];
  c.on('fallback', (info) => fallbacks.push(info));
  start(c);
  await settle();
  FakeWebSocket.last().drop(1006); // a proxy that drops the upgrade
  await settle();
  FakeEventSource.last().receive(welcome('sse-1', 'sse'), 'cur-1');
  await settle();
  assert.equal(fallbacks.length, 1);
  assert.deepEqual(fallbacks[0].failed.map((f) => [f.transport, f.step, f.closeCode]), [['websocket', 'connect', 1006]]);
  c.close();
});
