// Compiled (never run) by `npm run check` against the built parley.d.ts, as an application would use it: a
// declaration the bundle lost, or a type that no longer fits what the README shows, fails the check.
import Parley, { describeState, ParleyError, type Message, type MessageEvent, type RoomInfo } from '../../parley.js';

const client = new Parley({ url: 'https://chat.example.com', token: async () => 'jwt', transport: 'auto' });
const stop: () => void = client.on('state', (s) => console.log(describeState(s), s.retryInMs));
stop();
client.on('message', (e: MessageEvent) => console.log(e.message.body, e.message.reply_to?.excerpt, e.seq));
client.on('fallback', (f) => f.failed.forEach((x) => console.log(x.transport, x.step)));
client.on('error', (e: ParleyError) => console.log(e.code, e.closeCode));

const sub = client.subscribe('room-1', {
  message: (e) => console.log(e.message.mentions?.length),
  reaction_added: (e) => console.log(e.emoji, e.user),
  room_updated: (e) => console.log(e.changed.includes('name'), e.metadata),
  error: (e) => console.log(e.code),
}, { after: 41 });
sub.ready.then((ack) => console.log(ack.last_seq, ack.complete));
client.subscribe('*', {}, { after: { 'room-1': 41 } });

async function use(room: RoomInfo): Promise<void> {
  const info = await client.connect();
  console.log(info.transport, info.user);
  const sent: Message = await client.send(room.id, 'hello', { replyTo: 'm1', mentions: ['bob'] });
  await client.react(room.id, sent.id, '👍');
  await client.edit(room.id, sent.id, 'hello again');
  await client.markRead(room.id);
  await client.setPresence('away');
  client.typing(room.id);
  const cursor: number | undefined = client.cursor(room.id);
  console.log(cursor, client.transport, client.state.status, room.peer?.display_name, room.unread);
  client.close();
}
void use;

// @ts-expect-error: presence is online or away
void client.setPresence('busy');
// @ts-expect-error: the token is required
void new Parley({ url: 'x' });
