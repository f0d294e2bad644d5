// Raft thesis §3.10 Leadership transfer: the leader brings the target up to date, then tells it
// to time out at once (TimeoutNow); the target campaigns without a pre-vote and may break the
// other voters' leases because the old leader asked it to.
import { TestCluster, bytes, ofType } from './harness';

describe('leadership transfer (Raft thesis §3.10)', () => {
  test('to an up-to-date follower: TimeoutNow, an immediate election, and the old leader follows', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    expect(c.node(1).transferLeadership(2)).toEqual({ ok: true });
    const rd = c.process(1);
    expect(rd?.messages).toEqual([{ type: 'timeoutNow', from: 1, to: 2, term: 1 }]);
    c.deliver();
    const campaign = c.process(2);
    expect(campaign?.messages.filter(ofType('vote')).map((m) => [m.to, m.term, m.transfer])).toEqual([[1, 2, true], [3, 2, true]]);
    c.settle();
    expect(c.node(2).status()).toMatchObject({ role: 'leader', term: 2 });
    expect(c.node(1).status()).toMatchObject({ role: 'follower', leaderId: 2 });
  });

  test('to a lagging follower: it is caught up first, then told to campaign', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.isolate(3);
    c.node(1).propose(bytes('a'));
    c.settle();
    c.heal();
    c.node(1).transferLeadership(3);
    expect(c.process(1)?.messages.filter(ofType('timeoutNow'))).toEqual([]);
    c.settle();
    expect(c.node(3).role).toBe('leader');
    expect(c.appliedData(3)).toEqual(['a']);
  });

  test('proposals are refused while a transfer is under way', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.isolate(2);
    c.node(1).transferLeadership(2);
    expect(c.node(1).propose(bytes('x'))).toEqual({ ok: false, code: 'LEADERSHIP_TRANSFER_IN_PROGRESS' });
  });

  test('a transfer that cannot finish within an election timeout is abandoned', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.isolate(2);
    c.node(1).transferLeadership(2);
    for (let t = 0; t < 10; t++) {
      c.tick(1);
      c.tick(3);
      c.settle();
    }
    expect(c.node(1).status()).toMatchObject({ role: 'leader', leadTransferee: 0 });
    expect(c.node(1).propose(bytes('x')).ok).toBe(true);
  });

  test('refusals: not the leader, unknown peer; transferring to itself is a no-op', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    expect(c.node(2).transferLeadership(3)).toEqual({ ok: false, code: 'NOT_LEADER', leaderHint: 1 });
    expect(c.node(1).transferLeadership(9)).toEqual({ ok: false, code: 'UNKNOWN_PEER' });
    expect(c.node(1).transferLeadership(1)).toEqual({ ok: true });
    expect(c.node(1).status().leadTransferee).toBe(0);
  });
});
