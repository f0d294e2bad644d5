// The peer stream is spoken over node:http2 directly, and must stay plain gRPC: a stock gRPC
// client (grpc-js, built from peer.proto) opens it, gets the hello and a status it can read
// when refused. Two real transports also carry a frame far larger than one HTTP/2 DATA frame or
// window, and find each other again after one of them restarts. All on 127.0.0.1.
import { waitFor } from '@ensemble/common';
import { loadDefinition } from '@ensemble/proto';
import * as grpc from '@grpc/grpc-js';
import { createLogger, format, transports } from 'winston';
import { ensembleFingerprint, type EnsembleMember } from '../../../src/ensemble/ensemble-config';
import { FaultFilter } from '../../../src/ensemble/fault-filter';
import { encodeBatch, PEER_FEATURES_ALL, type PeerItem } from '../../../src/ensemble/peer-codec';
import { PeerTransport, type PeerFrame } from '../../../src/ensemble/peer-transport';
import { freePorts } from '../../support/ensemble-harness';

const logger = createLogger({ level: 'error', format: format.json(), transports: [new transports.Console({ silent: true })] });

const started: PeerTransport[] = [];
const clients: grpc.Client[] = [];
afterEach(() => {
  for (const t of started.splice(0)) t.close();
  for (const c of clients.splice(0)) c.close();
});

async function membersOf(count: number): Promise<EnsembleMember[]> {
  const ports = await freePorts(count * 2);
  return Array.from({ length: count }, (_, i) => ({ id: i + 1, host: '127.0.0.1', peerPort: ports[2 * i], clientPort: ports[2 * i + 1] }));
}

async function startTransport(selfId: number, members: EnsembleMember[], received: PeerItem[][]): Promise<PeerTransport> {
  const t = await PeerTransport.start({
    selfId, members, listenHost: '127.0.0.1', fingerprint: ensembleFingerprint(members), faults: new FaultFilter(), logger,
    events: {
      onItems: (_from, items) => received.push(items),
      onLinkChange: () => undefined,
      onDropped: () => undefined,
      onSnapshotSent: () => undefined,
    },
  });
  started.push(t);
  return t;
}

type PeerCall = grpc.ClientDuplexStream<PeerFrame, PeerFrame>;

/** A grpc-js client of the Peer service, as any gRPC implementation would build it from peer.proto. */
function stockClient(port: number): grpc.Client & { Stream(): PeerCall } {
  const pkg = grpc.loadPackageDefinition(loadDefinition('coord/peer/v1/peer.proto')) as unknown as {
    coord: { peer: { v1: { Peer: new (address: string, creds: grpc.ChannelCredentials) => grpc.Client & { Stream(): PeerCall } } } };
  };
  const client = new pkg.coord.peer.v1.Peer(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  clients.push(client);
  return client;
}

function endStatus(call: PeerCall): Promise<grpc.StatusObject> {
  return new Promise((resolve) => {
    call.on('error', () => undefined);
    call.on('status', resolve);
  });
}

test('a stock gRPC client opens the peer stream, gets the hello, and its frames arrive', async () => {
  const members = await membersOf(2);
  const received: PeerItem[][] = [];
  const t1 = await startTransport(1, members, received);
  const call = stockClient(t1.port).Stream();
  const hello = new Promise<PeerFrame>((resolve) => call.once('data', resolve));
  call.write({ from: 2, to: 1, ensemble: ensembleFingerprint(members), batch: Buffer.alloc(0), features: PEER_FEATURES_ALL });
  expect(await hello).toMatchObject({ from: 1, to: 2, ensemble: ensembleFingerprint(members), features: PEER_FEATURES_ALL });
  const touch: PeerItem = { kind: 'touch', sessionIds: [42] };
  call.write({ from: 2, to: 1, ensemble: ensembleFingerprint(members), batch: encodeBatch([touch]) });
  await waitFor(() => received.length > 0, { timeoutMs: 10_000, what: 'the frame' });
  expect(received).toEqual([[touch]]);
  const status = endStatus(call);
  call.end();
  expect((await status).code).toBe(grpc.status.OK);
});

test('refusals reach a stock client as gRPC statuses, and the port keeps serving', async () => {
  const members = await membersOf(2);
  const t1 = await startTransport(1, members, []);
  const client = stockClient(t1.port);

  const stranger = client.Stream();
  const refused = endStatus(stranger);
  stranger.write({ from: 2, to: 1, ensemble: '1,2,9', batch: Buffer.alloc(0) });
  expect(await refused).toMatchObject({ code: grpc.status.FAILED_PRECONDITION, details: `peer 2 has members 1,2,9, this server ${ensembleFingerprint(members)}` });

  const garbage = client.Stream();
  const broken = endStatus(garbage);
  garbage.write({ from: 2, to: 1, ensemble: ensembleFingerprint(members), batch: Buffer.alloc(0) });
  garbage.write({ from: 2, to: 1, ensemble: ensembleFingerprint(members), batch: Buffer.from([99, 1, 2]) });
  expect((await broken).code).toBe(grpc.status.INVALID_ARGUMENT);

  const unknown = client.makeBidiStreamRequest('/coord.peer.v1.Peer/Nope', (b: Buffer) => b, (b: Buffer) => b);
  const unimplemented = new Promise<grpc.StatusObject>((resolve) => {
    unknown.on('error', () => undefined);
    unknown.on('status', resolve);
  });
  unknown.write(Buffer.from('x'));
  expect((await unimplemented).code).toBe(grpc.status.UNIMPLEMENTED);

  const good = client.Stream();
  good.on('error', () => undefined); // cancelled below
  const hello = new Promise<PeerFrame>((resolve) => good.once('data', resolve));
  good.write({ from: 2, to: 1, ensemble: ensembleFingerprint(members), batch: Buffer.alloc(0) });
  expect((await hello).from).toBe(1);
  good.cancel();
});

test('a dialer the acceptor refuses notices at once and dials again, though its own side stays open', async () => {
  const members = await membersOf(2);
  const refusals: string[] = [];
  const counting = createLogger({ level: 'warn', transports: [new transports.Console({ silent: true })] });
  counting.on('data', (info: { message: string; why?: string }) => info.message === 'peer stream refused' && refusals.push(info.why ?? ''));
  const t1 = await PeerTransport.start({
    selfId: 1, members, listenHost: '127.0.0.1', fingerprint: 'another ensemble', faults: new FaultFilter(), logger: counting,
    events: { onItems: () => undefined, onLinkChange: () => undefined, onDropped: () => undefined, onSnapshotSent: () => undefined },
  });
  started.push(t1);
  const t2 = await startTransport(2, members, []);
  // Backoff 50, 100, 200 ms: a dialer that only noticed when its own side ended would stop at one.
  await waitFor(() => refusals.length >= 3, { timeoutMs: 10_000, what: 'three refused dials' });
  expect(refusals[0]).toMatch(/has members/);
  expect(t2.isUp(1)).toBe(false);
});

test('a frame of many megabytes crosses whole; a restarted peer is dialled again', async () => {
  const members = await membersOf(2);
  const at2: PeerItem[][] = [];
  const t1 = await startTransport(1, members, []);
  let t2 = await startTransport(2, members, at2);
  await waitFor(() => t1.isUp(2) && t2.isUp(1), { timeoutMs: 10_000, what: 'both links up' });

  const big: PeerItem = { kind: 'forward', incarnation: 1, requestId: 1, txn: Buffer.alloc(12 * 1024 * 1024, 0xab) };
  big.txn[big.txn.length - 1] = 0xcd;
  t1.send(2, big);
  t1.flush();
  await waitFor(() => at2.length > 0, { timeoutMs: 20_000, what: 'the big frame' });
  expect(at2).toHaveLength(1);
  expect(at2[0]).toHaveLength(1);
  expect((at2[0][0] as typeof big).txn.equals(big.txn)).toBe(true);

  t2.close();
  started.splice(started.indexOf(t2), 1);
  await waitFor(() => !t1.isUp(2), { timeoutMs: 10_000, what: 'the link to 2 down' });
  t2 = await startTransport(2, members, at2);
  await waitFor(() => t1.isUp(2) && t2.isUp(1), { timeoutMs: 10_000, what: 'both links up again' });
  t1.send(2, { kind: 'touch', sessionIds: [7] });
  await waitFor(() => at2.length > 1, { timeoutMs: 10_000, what: 'a frame after the restart' });
  expect(at2[1]).toEqual([{ kind: 'touch', sessionIds: [7] }]);
});
