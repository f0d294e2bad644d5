import { ReadBarrier, type BarrierResult } from '../../../src/ensemble/read-barrier';

function barrier(): ReadBarrier {
  return new ReadBarrier({ retryMs: 100, timeoutMs: 1000, waitersMax: 3, ctxPrefix: 'p' });
}

function waiter(): { done: (r: BarrierResult) => void; results: BarrierResult[] } {
  const results: BarrierResult[] = [];
  return { done: (r) => results.push(r), results };
}

test('waiters that arrive together share one read index and go once it is applied', () => {
  const b = barrier();
  const [w1, w2] = [waiter(), waiter()];
  b.add(w1.done, 0);
  b.add(w2.done, 0);
  const ctx = b.nextRequest(0)!;
  expect(b.nextRequest(0)).toBeNull(); // nothing left to ask for
  b.onAnswer(ctx, 50);
  b.release(49);
  expect(w1.results).toEqual([]);
  b.release(50);
  expect(w1.results).toEqual([{ ok: true }]);
  expect(w2.results).toEqual([{ ok: true }]);
  expect(b.size).toBe(0);
});

test('a waiter that arrives after a request was made needs a request of its own', () => {
  const b = barrier();
  const [early, late] = [waiter(), waiter()];
  b.add(early.done, 0);
  const first = b.nextRequest(0)!;
  b.add(late.done, 1);
  const second = b.nextRequest(1)!;
  expect(second).not.toBe(first);
  b.onAnswer(second, 80);
  b.onAnswer(first, 60);
  b.release(60);
  expect([early.results.length, late.results.length]).toEqual([1, 0]);
  b.release(80);
  expect(late.results).toEqual([{ ok: true }]);
});

test('an unanswered request is asked again after retryMs; a late answer to the old one is ignored', () => {
  const b = barrier();
  const w = waiter();
  b.add(w.done, 0);
  const first = b.nextRequest(0)!;
  b.expire(99);
  expect(b.nextRequest(99)).toBeNull();
  b.expire(100);
  const second = b.nextRequest(100)!;
  expect(second).not.toBe(first);
  b.onAnswer(first, 10);
  b.release(10);
  expect(w.results).toEqual([]);
  b.onAnswer(second, 10);
  b.release(10);
  expect(w.results).toEqual([{ ok: true }]);
});

test('a request that could not be made (no leader) is kept for the next try', () => {
  const b = barrier();
  const w = waiter();
  b.add(w.done, 0);
  b.requestFailed(b.nextRequest(0)!);
  const again = b.nextRequest(5)!;
  b.onAnswer(again, 1);
  b.release(1);
  expect(w.results).toEqual([{ ok: true }]);
});

test('waiters time out with CONNECTION_LOSS, wherever they are; the limit refuses more', () => {
  const b = barrier();
  const [queued, asked, answered] = [waiter(), waiter(), waiter()];
  b.add(answered.done, 0);
  b.onAnswer(b.nextRequest(0)!, 500);
  b.add(asked.done, 0);
  b.nextRequest(0);
  b.add(queued.done, 0);
  expect(b.add(waiter().done, 0)).toBe(false);
  b.expire(999);
  expect([queued, asked, answered].map((w) => w.results.length)).toEqual([0, 0, 0]);
  b.expire(1000);
  for (const w of [queued, asked, answered]) expect(w.results).toEqual([expect.objectContaining({ ok: false, code: 'CONNECTION_LOSS' })]);
  expect(b.size).toBe(0);
});

test('failAll settles everyone once', () => {
  const b = barrier();
  const [a, c] = [waiter(), waiter()];
  b.add(a.done, 0);
  b.nextRequest(0);
  b.add(c.done, 0);
  b.failAll('CONNECTION_LOSS', 'closing');
  b.release(1e9);
  expect(a.results).toHaveLength(1);
  expect(c.results).toHaveLength(1);
});
