import type { Entry, Message } from '@ensemble/consensus';
import { AppendDeferral } from '../../../src/ensemble/append-deferral';

const entry = (index: number): Entry => ({ index, term: 1, type: 'normal', data: new Uint8Array(0) });
const append = (to: number, ...indexes: number[]): Message => ({
  type: 'append', from: 1, to, term: 1, prevIndex: indexes[0] - 1, prevTerm: 1, entries: indexes.map(entry), commit: 0,
});

/** Leader 1 of `voters`, with a clock the test moves and a record of what was released. */
function leader(voters: number[], opts: { delayMs?: number; down?: number[] } = {}) {
  const down = new Set(opts.down ?? []);
  const released: Array<{ peer: number; indexes: string }> = [];
  let flushes = 0;
  let timers: Array<{ at: number; fn: () => void }> = [];
  let now = 0;
  const deferral = new AppendDeferral({
    selfId: 1,
    voters,
    delayMs: opts.delayMs ?? 2,
    isUp: (peer) => !down.has(peer),
    release: (peer, messages) => {
      released.push({ peer, indexes: messages.map((m) => (m.type === 'append' ? m.entries.map((e) => e.index).join(',') : m.type)).join(' ') });
    },
    flush: () => {
      flushes += 1;
    },
    setTimer: (fn, ms) => {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
  });
  const advance = (ms: number): void => {
    now += ms;
    for (const t of timers.filter((x) => x.at <= now)) t.fn();
  };
  /** Which of `peers` get entry `index` from `origin` now (the others have it held). */
  const sentNow = (index: number, origin: number, peers: number[]): number[] => {
    deferral.proposed(index, origin);
    return peers.filter((peer) => !deferral.hold(append(peer, index)));
  };
  return { deferral, released, advance, sentNow, down, pendingTimers: () => timers.length, flushes: () => flushes };
}

describe('AppendDeferral (quorum-first replication)', () => {
  it('sends a follower\'s entry to that follower at once and holds it from the other until the delay passes', () => {
    const l = leader([1, 2, 3]);
    expect(l.sentNow(1, 2, [2, 3])).toEqual([2]);
    expect(l.sentNow(2, 2, [2, 3])).toEqual([2]);
    l.advance(1);
    expect(l.released).toEqual([]);
    l.advance(1);
    expect(l.released).toEqual([{ peer: 3, indexes: '1 2' }]); // one batch, one fdatasync on server 3
    expect(l.flushes()).toBe(1);
    expect(l.pendingTimers()).toBe(0);
  });

  it('sends the leader\'s own entries to one follower, the lowest id that is up', () => {
    const l = leader([1, 2, 3]);
    expect(l.sentNow(1, 1, [2, 3])).toEqual([2]);
    l.down.add(2);
    expect(l.sentNow(2, 1, [2, 3])).toEqual([2, 3]); // nothing is held for a link that is down
    expect(l.sentNow(3, 1, [3])).toEqual([3]);
  });

  it('releases what it holds, in order, before an append the follower is needed for', () => {
    const l = leader([1, 2, 3]);
    expect(l.sentNow(1, 2, [3])).toEqual([]);
    expect(l.sentNow(2, 2, [3])).toEqual([]);
    expect(l.sentNow(3, 3, [3])).toEqual([3]); // server 3's own client: the held ones left just before it
    expect(l.released).toEqual([{ peer: 3, indexes: '1 2' }]);
    expect(l.flushes()).toBe(0); // they leave in one write with entry 3, which the caller flushes
    l.advance(5);
    expect(l.released).toHaveLength(1); // the timer went with them
  });

  it('releases what it holds before the answer to a follower\'s read-index request (a sync waits for those entries)', () => {
    const l = leader([1, 2, 3]);
    expect(l.sentNow(1, 2, [3])).toEqual([]);
    expect(l.deferral.hold({ type: 'readIndexResponse', from: 1, to: 3, term: 1, ctx: 'r1', index: 1 })).toBe(false);
    expect(l.released).toEqual([{ peer: 3, indexes: '1' }]);
  });

  it('counts on the other follower when the origin cannot answer', () => {
    const l = leader([1, 2, 3], { down: [2] });
    expect(l.sentNow(1, 2, [3])).toEqual([3]);
  });

  it('never holds entries it did not propose, or that are committed, or a mixed append a follower is needed for', () => {
    const l = leader([1, 2, 3]);
    expect(l.deferral.hold(append(3, 7))).toBe(false); // a catch-up of an older leader's entries
    l.deferral.proposed(1, 2);
    l.deferral.proposed(2, 3);
    expect(l.deferral.hold(append(3, 1, 2))).toBe(false);
    l.deferral.committed(1);
    expect(l.deferral.hold(append(3, 1))).toBe(false); // a resend after the commit
  });

  it('lets other messages pass without releasing, and keeps persisted notices behind the entries they are about', () => {
    const l = leader([1, 2, 3]);
    expect(l.sentNow(1, 2, [3])).toEqual([]);
    expect(l.deferral.hold({ type: 'heartbeat', from: 1, to: 3, term: 1, commit: 0, readSeq: 0 })).toBe(false);
    expect(l.deferral.hold({ type: 'persisted', from: 1, to: 3, term: 1, index: 1 })).toBe(true);
    expect(l.deferral.hold({ type: 'persisted', from: 1, to: 2, term: 1, index: 1 })).toBe(false);
    expect(l.released).toEqual([]);
    l.advance(2);
    expect(l.released).toEqual([{ peer: 3, indexes: '1 persisted' }]);
  });

  it('with five servers, holds entries only from the two followers no quorum needs', () => {
    const l = leader([1, 2, 3, 4, 5]);
    expect(l.sentNow(1, 4, [2, 3, 4, 5])).toEqual([2, 4]);
    expect(l.sentNow(2, 1, [2, 3, 4, 5])).toEqual([2, 3]);
    l.down.add(3);
    expect(l.sentNow(3, 1, [2, 3, 4, 5])).toEqual([2, 3, 4]); // 3 is down: never held, 4 takes its place
  });

  it('holds nothing when off or when every follower is needed', () => {
    expect(leader([1, 2, 3], { delayMs: 0 }).sentNow(1, 2, [2, 3])).toEqual([2, 3]);
    expect(leader([1, 2]).sentNow(1, 1, [2])).toEqual([2]);
  });

  it('releases everything and stops its timers on releaseAll', () => {
    const l = leader([1, 2, 3, 4, 5]);
    l.sentNow(1, 2, [4, 5]);
    l.deferral.releaseAll();
    expect(l.released).toEqual([{ peer: 4, indexes: '1' }, { peer: 5, indexes: '1' }]);
    expect(l.pendingTimers()).toBe(0);
    expect(l.deferral.hold(append(4, 1))).toBe(false); // origins were forgotten too
  });
});
