import { serverFor } from '../../../src/bench/placement';

test('connection i of the bench goes to server i mod n; without a slot, to the whole list', () => {
  const servers = 'a:1,b:2,c:3';
  expect([0, 1, 2, 3, 4, 5].map((slot) => serverFor(servers, slot))).toEqual(['a:1', 'b:2', 'c:3', 'a:1', 'b:2', 'c:3']);
  expect(serverFor(servers)).toBe(servers);
  expect(serverFor('solo:2181', 7)).toBe('solo:2181');
});
