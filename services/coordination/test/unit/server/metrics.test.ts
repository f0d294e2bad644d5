// Applied transactions, answered requests and group commits are counted outside prom-client
// (counts handed over when scraped, histograms of our own): every scrape shows all of them, once.
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

test('answered requests and group commits reach the exposition whether scraped in the same turn or later, counted once', async () => {
  const registry = new Registry();
  const metrics = new CoordMetrics(registry, { znodes: () => 0, sessions: () => 0, watches: () => 0, connections: () => 0 });
  metrics.observeRequest('setData', 'OK', process.hrtime.bigint());
  metrics.observeRequest('setData', 'BAD_VERSION', process.hrtime.bigint());
  metrics.synced({ durationMs: 0.3, records: 3, bytes: 300, fsyncThread: 'loop' });
  let text = await registry.metrics(); // no turn has ended yet
  expect(valueOf(text, 'coord_requests_total{op="setData",code="OK"}')).toBe(1);
  expect(valueOf(text, 'coord_requests_total{op="setData",code="BAD_VERSION"}')).toBe(1);
  expect(valueOf(text, 'coord_request_duration_seconds_count{op="setData"}')).toBe(2);
  expect(valueOf(text, 'coord_fsync_duration_seconds_bucket{le="0.0005"}')).toBe(1);
  expect(valueOf(text, 'coord_fsync_duration_seconds_bucket{le="0.00025"}')).toBe(0);
  expect(valueOf(text, 'coord_fsync_batch_records_sum')).toBe(3);
  expect(valueOf(text, 'coord_fsyncs_total{thread="loop"}')).toBe(1);
  expect(valueOf(text, 'coord_fsyncs_total{thread="pool"}')).toBe(0);

  metrics.observeRequest('create', 'OK', process.hrtime.bigint());
  metrics.synced({ durationMs: 5, records: 1, bytes: 100, fsyncThread: 'pool' });
  metrics.synced({ durationMs: 0.1, records: 1, bytes: 100, fsyncThread: null }); // fsync off: a group commit, no fdatasync
  await new Promise((resolve) => setImmediate(resolve)); // handed over after the turn
  text = await registry.metrics();
  expect(valueOf(text, 'coord_requests_total{op="setData",code="OK"}')).toBe(1);
  expect(valueOf(text, 'coord_requests_total{op="create",code="OK"}')).toBe(1);
  expect(valueOf(text, 'coord_request_duration_seconds_count{op="setData"}')).toBe(2);
  expect(valueOf(text, 'coord_fsync_duration_seconds_count')).toBe(3);
  expect(valueOf(text, 'coord_fsync_batch_records_sum')).toBe(5);
  expect(valueOf(text, 'coord_fsyncs_total{thread="loop"}')).toBe(1);
  expect(valueOf(text, 'coord_fsyncs_total{thread="pool"}')).toBe(1);
});
