import { approxWireBytes, splitIntoBatches } from '../../src/batching';

describe('session-stream batches', () => {
  it('estimates a message by its buffers and strings', () => {
    const small = approxWireBytes({ request: { xid: 1, getData: { path: '/a' } } });
    const big = approxWireBytes({ request: { xid: 1, setData: { path: '/a', data: Buffer.alloc(100_000) } } });
    expect(small).toBeLessThan(64);
    expect(big).toBeGreaterThanOrEqual(100_000);
    expect(approxWireBytes({ response: { getChildren: { children: ['x'.repeat(1000), 'y'.repeat(1000)] } } })).toBeGreaterThanOrEqual(2000);
  });

  it('cuts batches at the size cap, keeps order, and sends an oversized message alone', () => {
    const msg = (n: number): { data: Buffer; n: number } => ({ data: Buffer.alloc(n), n });
    const messages = [msg(10), msg(10), msg(600), msg(10), msg(2000), msg(10), msg(10)];
    const batches = splitIntoBatches(messages, 1000);
    expect(batches.flat()).toEqual(messages);
    for (const batch of batches) {
      const bytes = batch.reduce((sum, m) => sum + approxWireBytes(m), 0);
      expect(batch.length === 1 || bytes <= 1000).toBe(true);
    }
    expect(batches.find((b) => b.some((m) => m.n === 2000))).toHaveLength(1);
    expect(splitIntoBatches([], 1000)).toEqual([]);
  });
});
