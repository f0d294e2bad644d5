import { Registry } from 'prom-client';
import { BucketHistogram } from '../../../src/server/bucket-histogram';

function lines(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(name));
}

test('renders cumulative buckets with le bounds inclusive, +Inf, sum and count per label value', async () => {
  const registry = new Registry();
  const h = new BucketHistogram({ name: 'x_seconds', help: 'x', labelName: 'op', buckets: [0.1, 1], registers: [registry] });
  h.observe(0.1, 'get'); // on a bound: counted in that bucket (Prometheus: le is <=)
  h.observe(0.5, 'get');
  h.observe(7, 'get');
  h.observe(0.01, 'set');
  const text = await registry.metrics();
  expect(text).toContain('# TYPE x_seconds histogram');
  expect(lines(text, 'x_seconds')).toEqual([
    'x_seconds_bucket{op="get",le="0.1"} 1',
    'x_seconds_bucket{op="get",le="1"} 2',
    'x_seconds_bucket{op="get",le="+Inf"} 3',
    'x_seconds_sum{op="get"} 7.6',
    'x_seconds_count{op="get"} 3',
    'x_seconds_bucket{op="set",le="0.1"} 1',
    'x_seconds_bucket{op="set",le="1"} 1',
    'x_seconds_bucket{op="set",le="+Inf"} 1',
    'x_seconds_sum{op="set"} 0.01',
    'x_seconds_count{op="set"} 1',
  ]);
});

test('an unlabelled histogram shows zeros before its first observation; reset empties it; bounds must ascend', async () => {
  const registry = new Registry();
  const h = new BucketHistogram({ name: 'y', help: 'y', buckets: [1, 2], registers: [registry] });
  expect(lines(await registry.metrics(), 'y_count')).toEqual(['y_count 0']);
  h.observe(3);
  expect(lines(await registry.metrics(), 'y_bucket{le="+Inf"}')).toEqual(['y_bucket{le="+Inf"} 1']);
  registry.resetMetrics();
  expect(lines(await registry.metrics(), 'y_count')).toEqual(['y_count 0']);
  expect(() => new BucketHistogram({ name: 'z', help: 'z', buckets: [2, 1], registers: [] })).toThrow(/ascend/);
});
