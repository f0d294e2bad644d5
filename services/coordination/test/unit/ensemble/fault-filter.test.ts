import { FaultFilter, parseFaultRules } from '../../../src/ensemble/fault-filter';

const MEMBERS = [1, 2, 3, 4, 5];

test('no faults: everything passes both ways', () => {
  const f = new FaultFilter();
  for (const id of MEMBERS) {
    expect(f.allowsSend(id)).toBe(true);
    expect(f.allowsReceive(id)).toBe(true);
  }
});

test('a symmetric cut drops both directions; an asymmetric one only its own', () => {
  const f = new FaultFilter();
  f.set({ dropTo: [2, 3], dropFrom: [2, 3] });
  expect([f.allowsSend(2), f.allowsReceive(2), f.allowsSend(3), f.allowsReceive(3)]).toEqual([false, false, false, false]);
  expect([f.allowsSend(4), f.allowsReceive(4)]).toEqual([true, true]);
  f.set({ dropTo: [4], dropFrom: [] });
  expect([f.allowsSend(4), f.allowsReceive(4)]).toEqual([false, true]);
  expect([f.allowsSend(2), f.allowsReceive(2)]).toEqual([true, true]); // the old rules are replaced
  expect(f.rules()).toEqual({ dropTo: [4], dropFrom: [] });
});

test('parses the endpoint\'s JSON, healing with an empty object', () => {
  expect(parseFaultRules({ dropTo: [3, 2, 3], dropFrom: [2] }, 1, MEMBERS)).toEqual({ ok: true, rules: { dropTo: [3, 2], dropFrom: [2] } });
  expect(parseFaultRules({}, 1, MEMBERS)).toEqual({ ok: true, rules: { dropTo: [], dropFrom: [] } });
});

test('refuses anything but lists of other members', () => {
  const bad = [null, [], 'x', { dropTo: 2 }, { dropTo: [1] }, { dropTo: [9] }, { dropFrom: ['2'] }, { drop: [2] }];
  for (const body of bad) expect(parseFaultRules(body, 1, MEMBERS).ok).toBe(false);
});
