// Mixed builds on the peer wire: a server sends an optional message kind (the Raft 'persisted'
// notice) only to peers that announced they read it in their hello, so a member of an older
// build — which refuses a whole frame with a kind it does not know — keeps its link and gets
// everything else. Two real transports on 127.0.0.1; one announces nothing, as older builds do.
import type { Message } from '@ensemble/consensus';
import { waitFor } from '@ensemble/common';
import { createLogger, format, transports } from 'winston';
import { ensembleFingerprint, type EnsembleMember } from '../../../src/ensemble/ensemble-config';
import { FaultFilter } from '../../../src/ensemble/fault-filter';
import { PEER_FEATURES, PEER_FEATURES_ALL, type PeerItem } from '../../../src/ensemble/peer-codec';
import { PeerTransport } from '../../../src/ensemble/peer-transport';
import { freePorts } from '../../support/ensemble-harness';

const logger = createLogger({ level: 'error', format: format.json(), transports: [new transports.Console({ silent: true })] });

const started: PeerTransport[] = [];
afterEach(() => {
  for (const t of started.splice(0)) t.close();
});

async function pair(featuresOf2: number) {
  const [p1, p2, p3, p4] = await freePorts(4);
  const members: EnsembleMember[] = [
    { id: 1, host: '127.0.0.1', peerPort: p1, clientPort: p2 },
    { id: 2, host: '127.0.0.1', peerPort: p3, clientPort: p4 },
  ];
  const received = new Map<number, string[]>([[1, []], [2, []]]);
  const start = (selfId: number, features: number): Promise<PeerTransport> => PeerTransport.start({
    selfId, members, listenHost: '127.0.0.1', fingerprint: ensembleFingerprint(members), faults: new FaultFilter(), logger, features,
    events: {
      onItems: (_from, items) => received.get(selfId)!.push(...items.map((i) => (i.kind === 'raft' ? i.message.type : i.kind))),
      onLinkChange: () => undefined,
      onDropped: () => undefined,
      onSnapshotSent: () => undefined,
    },
  });
  const t1 = await start(1, PEER_FEATURES_ALL);
  const t2 = await start(2, featuresOf2);
  started.push(t1, t2);
  await waitFor(() => t1.isUp(2) && t2.isUp(1), { timeoutMs: 10_000, what: 'both links up' });
  return { t1, t2, received };
}

const raft = (message: Message): PeerItem => ({ kind: 'raft', message });
const heartbeat = (from: number, to: number): PeerItem => raft({ type: 'heartbeat', from, to, term: 1, commit: 0, readSeq: 0 });
const persisted = (from: number, to: number): PeerItem => raft({ type: 'persisted', from, to, term: 1, index: 7 });

test('a peer that announced nothing (an older build) gets no persisted notice, and everything else in the same frame', async () => {
  const { t1, received } = await pair(0);
  expect(t1.supports(2, PEER_FEATURES.persisted)).toBe(false);
  t1.send(2, persisted(1, 2));
  t1.send(2, heartbeat(1, 2));
  await waitFor(() => received.get(2)!.length > 0, { timeoutMs: 10_000, what: 'the heartbeat' });
  expect(received.get(2)).toEqual(['heartbeat']);
  expect(t1.isUp(2)).toBe(true);
});

test('a peer that announced the persisted notice gets it', async () => {
  const { t1, t2, received } = await pair(PEER_FEATURES_ALL);
  expect(t1.supports(2, PEER_FEATURES.persisted)).toBe(true);
  expect(t2.supports(1, PEER_FEATURES.persisted)).toBe(true);
  t1.send(2, persisted(1, 2));
  t1.send(2, heartbeat(1, 2));
  await waitFor(() => received.get(2)!.length >= 2, { timeoutMs: 10_000, what: 'both items' });
  expect(received.get(2)).toEqual(['persisted', 'heartbeat']);
});
