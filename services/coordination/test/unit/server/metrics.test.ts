// Applied transactions are counted outside prom-client and handed over at scrape time: every
// scrape must show all of them, once, with the zxid of the last one.
import { Registry } from 'prom-client';
import { CoordMetrics } from '../../../src/server/metrics';
import type { ApplyOutcome, Txn } from '../../../src/tree/types';

const OUTCOME = {} as ApplyOutcome;
const txn = (zxid: number, type: 'create' | 'setData'): Txn => ({ zxid, timeMs: 0, sessionId: 1, op: { type } } as unknown as Txn);

function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('applied transactions reach the exposition by type, counted once across scrapes', async () => {
  const registry = new Registry();
  const metrics = new CoordMetrics(registry, { znodes: () => 0, sessions: () => 0, watches: () => 0, connections: () => 0 });
  metrics.applied(txn(1, 'create'), OUTCOME);
  metrics.applied(txn(2, 'setData'), OUTCOME);
  metrics.applied(txn(3, 'setData'), OUTCOME);
  let text = await registry.metrics();
  expect(valueOf(text, 'coord_txns_applied_total{type="create"}')).toBe(1);
  expect(valueOf(text, 'coord_txns_applied_total{type="setData"}')).toBe(2);
  expect(valueOf(text, 'coord_last_zxid')).toBe(3);

  text = await registry.metrics(); // nothing applied since: the same totals, not doubled
  expect(valueOf(text, 'coord_txns_applied_total{type="setData"}')).toBe(2);

  metrics.applied(txn(9, 'setData'), OUTCOME);
  text = await registry.metrics();
  expect(valueOf(text, 'coord_txns_applied_total{type="setData"}')).toBe(3);
  expect(valueOf(text, 'coord_txns_applied_total{type="create"}')).toBe(1);
  expect(valueOf(text, 'coord_last_zxid')).toBe(9);
});
