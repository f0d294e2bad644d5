// The plain path of a serializer must produce the same message as the full one (fromObject,
// then encode), and must hand over to the full one whenever something needs converting: an
// enum given by name, anywhere in the object, including inside a batch.
import { loadMethod } from '../../src/loader';
import { plainSerializer } from '../../src/plain-encoder';
import type { ClientMessage } from '../../src/generated/coord/v1/ClientMessage';
import type { ServerMessage__Output } from '../../src/generated/coord/v1/ServerMessage';

const method = loadMethod<ClientMessage, ServerMessage__Output>('coord/v1/coord.proto', 'coord.v1.Coordination', 'Session');
// The server's side of the stream decodes what a client sends.
const decode = (buf: Buffer): unknown => method.requestDeserialize(buf);

function serializerWithCount(): { serialize: (m: ClientMessage) => Buffer; fallbacks: () => number } {
  let count = 0;
  const serialize = plainSerializer<ClientMessage>('coord/v1/coord.proto', 'coord.v1.ClientMessage', (m) => {
    count++;
    return method.requestSerialize(m);
  });
  return { serialize, fallbacks: () => count };
}

const plainMessages: ClientMessage[] = [
  { request: { xid: 7, getData: { path: '/a/b', watch: true } } },
  { request: { xid: 2 ** 40 + 3, setData: { path: '/a', data: Buffer.from([0, 1, 255]), version: -1 } } },
  { request: { xid: 9, delete: { path: '/a', version: 4 } } },
  { request: { xid: 10, getChildren: { path: '/', watch: false } } },
  { ping: {} },
  { connect: { sessionId: 2 ** 50, password: Buffer.alloc(16, 3), timeoutMs: 4000, lastZxidSeen: 123, readOnly: false, acceptsBatches: true } },
  { batch: { messages: [{ request: { xid: 1, exists: { path: '/x', watch: true } } }, { ping: {} }] } },
];

test('an object that needs no conversion is encoded directly, to the same message', () => {
  const { serialize, fallbacks } = serializerWithCount();
  for (const msg of plainMessages) {
    const plain = serialize(msg);
    expect(decode(plain)).toEqual(decode(method.requestSerialize(msg)));
  }
  expect(fallbacks()).toBe(0);
});

test('an enum given by name, at any depth, goes through the full serializer', () => {
  const { serialize, fallbacks } = serializerWithCount();
  const create: ClientMessage = { request: { xid: 3, create: { path: '/e', data: Buffer.from('x'), mode: 'EPHEMERAL_SEQUENTIAL', ttlMs: 0 } } };
  const batched: ClientMessage = { batch: { messages: [plainMessages[0], create] } };
  for (const msg of [create, batched]) {
    const decoded = decode(serialize(msg)) as Record<string, unknown>;
    expect(decoded).toEqual(decode(method.requestSerialize(msg)));
  }
  expect(fallbacks()).toBe(2);
  // The mode arrived as the enum it names, not as 0 (PERSISTENT).
  expect((decode(serialize(create)) as { request: { create: { mode: string } } }).request.create.mode).toBe('EPHEMERAL_SEQUENTIAL');
});

test('what the full serializer refuses is still refused', () => {
  const { serialize, fallbacks } = serializerWithCount();
  expect(() => serialize({ request: 'not an object' as never })).toThrow(/object expected/);
  expect(() => serialize({ batch: { messages: 'nor an array' as never } })).toThrow();
  expect(fallbacks()).toBe(2);
});
