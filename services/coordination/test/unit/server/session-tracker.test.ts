import { SessionTracker } from '../../../src/server/session-tracker';

test('reset (a new leader) gives every session a full timeout from now and forgets the rest', () => {
  const t = new SessionTracker(100, 0);
  t.add(1, 1000, 0);
  t.add(2, 1000, 0);
  t.reset(5000, [{ sessionId: 2, timeoutMs: 1000 }, { sessionId: 3, timeoutMs: 500 }]);
  expect(t.has(1)).toBe(false);
  expect(t.expire(5400)).toEqual([]);
  expect(t.expire(5500)).toEqual([3]);
  expect(t.expire(5900)).toEqual([]);
  expect(t.expire(6000)).toEqual([2]);
});

test('a session reported expired is watched again once touched (its close did not apply)', () => {
  const t = new SessionTracker(100, 0);
  t.add(7, 300, 0);
  expect(t.expire(300)).toEqual([7]);
  expect(t.expire(10_000)).toEqual([]); // not reported twice
  expect(t.touch(7, 10_000)).toBe(true);
  expect(t.expire(10_200)).toEqual([]);
  expect(t.expire(10_300)).toEqual([7]);
});

test('a tick long after the last one (the process was held up) expires nothing; the next one does', () => {
  const t = new SessionTracker(100, 0);
  t.add(1, 300, 0);
  t.add(2, 300, 0);
  expect(t.tick(100)).toBe(true);
  expect(t.tick(200)).toBe(true);
  // Held up for 2 s: both deadlines passed unobserved, and the pings of that time are unread.
  expect(t.tick(2200)).toBe(false);
  // Reading them touches session 1; session 2 really went quiet.
  expect(t.touch(1, 2210)).toBe(true);
  expect(t.tick(2300)).toBe(true);
  expect(t.expire(2300)).toEqual([2]);
  expect(t.expire(2500)).toEqual([]);
  expect(t.expire(2600)).toEqual([1]);
});

test('a tick late by less than a second (a busy host\'s timer) still expires', () => {
  const t = new SessionTracker(100, 0);
  t.add(1, 300, 0);
  expect(t.tick(100)).toBe(true);
  expect(t.tick(900)).toBe(true);
  expect(t.expire(900)).toEqual([1]);
});
