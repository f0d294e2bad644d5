import { formatRatio, medianRows, ratios, roundOrder, type Row } from '../../../src/bench/summary';

const row = (system: string, round: number, rate: number, p99 = 2): Row => ({ system, op: 'setData', outstanding: 1, round, rate, p50: 1, p99 });

test('the systems take turns on going first, round by round', () => {
  expect([0, 1, 2, 3].map((round) => roundOrder(['ensemble', 'zookeeper'], round).join(','))).toEqual([
    'ensemble,zookeeper',
    'zookeeper,ensemble',
    'ensemble,zookeeper',
    'zookeeper,ensemble',
  ]);
});

test('per-round ratios pair the points of the same minute; ratios of medians can pair a fast minute with a slow one', () => {
  // Ours is about 10% faster in every round, but the machine halved its speed during round 1,
  // after theirs ran and before ours did.
  const rows = [row('ours', 0, 1100), row('theirs', 0, 1000), row('theirs', 1, 1000), row('ours', 1, 560), row('ours', 2, 560), row('theirs', 2, 500)];
  const [r] = ratios(rows, 'ours', 'theirs');
  expect(r.paired.map((x) => x.toFixed(2))).toEqual(['1.10', '0.56', '1.12']);
  expect(formatRatio(r)).toBe('setData      1  throughput x0.56  p99 x1.00  per round: median x1.10, 2 of 3 at or above x1.00');
  expect(medianRows(rows).map((m) => [m.system, m.rate])).toEqual([
    ['ours', 560],
    ['theirs', 1000],
  ]);
});

test('a round that lacks one of the systems gives no paired ratio; a single round prints no per-round part', () => {
  const rows = [row('ours', 0, 900, 3), row('theirs', 0, 1000, 2), row('ours', 1, 1200)];
  const [r] = ratios(rows, 'ours', 'theirs');
  expect(r.paired).toEqual([0.9]);
  expect(r.throughput).toBeCloseTo(1050 / 1000);
  expect(formatRatio(r)).toBe('setData      1  throughput x1.05  p99 x1.25');
  expect(ratios([row('ours', 0, 1)], 'ours', 'theirs')).toEqual([]);
});
