import { backoffDelayMs, DEFAULT_RETRY_POLICY } from '../../src/retry-policy';
import { checkTtl, fromOpResult, toBuffer, toWireOp, versionField } from '../../src/wire';
import { sortBySequence } from '../../src/recipes/recipe-util';
import { formatEvent, formatStat, formatTree } from '../../src/cli/format';

describe('wire conversions', () => {
  it('sends version -1 as an absent field and rejects nonsense', () => {
    expect(versionField(undefined)).toEqual({});
    expect(versionField(-1)).toEqual({});
    expect(versionField(0)).toEqual({ version: 0 });
    expect(() => versionField(-2)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENTS' }));
    expect(() => versionField(1.5)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENTS' }));
  });

  it('encodes multi ops', () => {
    expect(toWireOp({ type: 'create', path: '/a', data: 'x', mode: 'EPHEMERAL' })).toEqual({
      create: { path: '/a', data: Buffer.from('x'), mode: 'EPHEMERAL', ttlMs: 0 },
    });
    expect(toWireOp({ type: 'delete', path: '/a', version: 2 })).toEqual({ delete: { path: '/a', version: 2 } });
    expect(toWireOp({ type: 'check', path: '/a', version: -1 })).toEqual({ check: { path: '/a' } });
    expect(toWireOp({ type: 'setData', path: '/a', data: new Uint8Array([1, 2]) })).toEqual({ setData: { path: '/a', data: Buffer.from([1, 2]) } });
  });

  it('decodes op results, errors first', () => {
    expect(fromOpResult({ error: 'OK', result: 'create', create: { path: '/a0000000001', stat: null } })).toEqual({ type: 'create', path: '/a0000000001', stat: null });
    expect(fromOpResult({ error: 'BAD_VERSION', result: undefined })).toEqual({ type: 'error', code: 'BAD_VERSION' });
    expect(fromOpResult({ error: 'OK', result: 'check', check: {} })).toEqual({ type: 'check' });
    expect(fromOpResult({ error: 'OK', result: undefined })).toEqual({ type: 'error', code: 'OK' });
    expect(fromOpResult({ error: 'RUNTIME_INCONSISTENCY', result: undefined })).toEqual({ type: 'error', code: 'RUNTIME_INCONSISTENCY' });
  });

  it('checks TTL against the mode (ZooKeeper EphemeralType.validateTTL)', () => {
    expect(checkTtl('PERSISTENT_WITH_TTL', 100)).toBeNull();
    expect(checkTtl('PERSISTENT_WITH_TTL', undefined)).toContain('positive');
    expect(checkTtl('PERSISTENT_SEQUENTIAL_WITH_TTL', 0)).toContain('positive');
    expect(checkTtl('EPHEMERAL', 100)).toContain('only allowed');
    expect(checkTtl('PERSISTENT', undefined)).toBeNull();
  });

  it('turns strings and byte arrays into Buffers', () => {
    expect(toBuffer(undefined)).toEqual(Buffer.alloc(0));
    expect(toBuffer('é')).toEqual(Buffer.from([0xc3, 0xa9]));
    const bytes = new Uint8Array([9, 8, 7]).subarray(1);
    expect(toBuffer(bytes)).toEqual(Buffer.from([8, 7]));
  });
});

describe('backoffDelayMs', () => {
  it('grows exponentially to the cap, with jitter in [half, full]', () => {
    const p = { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2 };
    expect(backoffDelayMs(p, 0, () => 0.5)).toBe(0);
    expect(backoffDelayMs(p, 1, () => 0)).toBe(50);
    expect(backoffDelayMs(p, 1, () => 1)).toBe(100);
    expect(backoffDelayMs(p, 3, () => 1)).toBe(400);
    expect(backoffDelayMs(p, 50, () => 1)).toBe(1000);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 100, () => 0.5)).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.maxDelayMs);
  });
});

describe('recipe ordering', () => {
  it('sorts by sequence number, not by name, and skips foreign children', () => {
    const children = ['_c_b-lock-0000000010', '_c_a-lock-0000000002', 'ready', '_c_c-lock-0000000009', '_c_d-n_0000000001'];
    expect(sortBySequence(children, '-lock-')).toEqual(['_c_a-lock-0000000002', '_c_c-lock-0000000009', '_c_b-lock-0000000010']);
  });
});

describe('coordctl output', () => {
  const stat = { czxid: 16, mzxid: 17, pzxid: 18, ctime: 0, mtime: 1000, version: 2, cversion: 3, aversion: 0, ephemeralOwner: 255, dataLength: 5, numChildren: 1 };

  it('prints a stat like zkCli', () => {
    const text = formatStat(stat);
    expect(text).toContain('cZxid = 0x10');
    expect(text).toContain('dataVersion = 2');
    expect(text).toContain('ephemeralOwner = 0xff');
    expect(text).toContain('mtime = 1970-01-01T00:00:01.000Z');
  });

  it('prints events and trees', () => {
    expect(formatEvent({ type: 'NODE_CREATED', path: '/a', zxid: 10, state: 'connected' })).toBe('NODE_CREATED /a zxid=0xa');
    const tree = { path: '/a', children: [{ path: '/a/b', children: [{ path: '/a/b/c', children: [] }] }, { path: '/a/d', children: [] }] };
    expect(formatTree(tree)).toBe(['/a', '├── b', '│   └── c', '└── d'].join('\n'));
  });
});
