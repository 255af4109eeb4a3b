// Test doubles for the browser APIs the client uses: a manual clock, WebSocket, EventSource and fetch.

/** Timers that run only when the test moves time; `jump` moves time without running them (a throttled tab). */
export class FakeClock {
  constructor() {
    this.time = 1_000_000;
    this.timers = new Map();
    this.nextId = 1;
  }

  api() {
    return {
      now: () => this.time,
      setTimeout: (fn, ms) => {
        const id = this.nextId++;
        this.timers.set(id, { at: this.time + Math.max(0, ms), fn });
        return id;
      },
      clearTimeout: (id) => this.timers.delete(id),
    };
  }

  /** Runs every timer due within `ms`, in time order, letting promises settle in between. */
  async advance(ms) {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) {
        break;
      }
      this.timers.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].fn();
    }
    this.time = end;
    await settle();
  }

  jump(ms) {
    this.time += ms;
  }
}

export async function settle() {
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export class FakeWebSocket {
  static instances = [];

  constructor(url) {
    this.url = url;
    this.readyState = 1;
    this.sent = [];
    this.closedByClient = false;
    FakeWebSocket.instances.push(this);
  }

  send(text) {
    this.sent.push(JSON.parse(text));
  }

  close() {
    this.closedByClient = true;
    this.readyState = 3;
  }

  /** The server sends an event. */
  receive(event) {
    this.onmessage?.({ data: JSON.stringify(event) });
  }

  /** The server (or the network) ends the connection. */
  drop(code = 1006, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  static last() {
    return FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
  }
}

export class FakeEventSource {
  static instances = [];

  constructor(url) {
    this.url = url;
    this.listeners = new Map();
    this.closed = false;
    FakeEventSource.instances.push(this);
  }

  addEventListener(type, fn) {
    if (!this.listeners.has(type)) {
      this.listeners.set(type, []);
    }
    this.listeners.get(type).push(fn);
  }

  close() {
    this.closed = true;
  }

  /** A protocol event: no `event:` field, so it reaches the 'message' listeners. */
  receive(event, id = '') {
    if (id) {
      this.lastId = id;
    }
    for (const fn of this.listeners.get('message') ?? []) {
      fn({ data: JSON.stringify(event), lastEventId: this.lastId ?? '' });
    }
  }

  /** The server's named `close` event before it ends the stream. */
  goodbye(code, reconnect) {
    for (const fn of this.listeners.get('close') ?? []) {
      fn({ data: JSON.stringify({ type: 'close', code, reason: 'bye', reconnect }) });
    }
  }

  fail() {
    for (const fn of this.listeners.get('error') ?? []) {
      fn({ type: 'error' });
    }
  }

  static last() {
    return FakeEventSource.instances[FakeEventSource.instances.length - 1];
  }
}

/** fetch that records requests and answers them with `handler(url, init)` → {status, body}. */
export function fakeFetch(handler) {
  const calls = [];
  const fetch = async (url, init = {}) => {
    calls.push({ url, init, body: init.body ? JSON.parse(init.body) : undefined });
    const { status = 200, body = {} } = await handler(url, init);
    return { ok: status >= 200 && status < 300, status, json: async () => body };
  };
  return { fetch, calls };
}

export function welcome(session, transport = 'websocket', extra = {}) {
  return { type: 'welcome', user: 'alice', session, transport, heartbeat_ms: 20000, resumed: false, ...extra };
}

export function message(room, seq, body, extra = {}) {
  return { type: 'message', room, seq, message: { id: `m${seq}`, room, seq, author: 'bob', body, ...extra } };
}
