import { formatAddress, parseConnectString, shuffled } from '../../src/connect-string';

describe('parseConnectString', () => {
  it('parses host:port lists, defaulting the port to 2181 and dropping duplicates', () => {
    expect(parseConnectString('a:1,b:2')).toEqual({ ok: true, servers: [{ host: 'a', port: 1 }, { host: 'b', port: 2 }] });
    expect(parseConnectString(' a , b:2182 ,a:2181')).toEqual({ ok: true, servers: [{ host: 'a', port: 2181 }, { host: 'b', port: 2182 }] });
  });

  it('parses bracketed IPv6 hosts', () => {
    expect(parseConnectString('[::1]:2000,[fe80::1]')).toEqual({
      ok: true, servers: [{ host: '::1', port: 2000 }, { host: 'fe80::1', port: 2181 }],
    });
    expect(formatAddress({ host: '::1', port: 2000 })).toBe('[::1]:2000');
    expect(formatAddress({ host: '127.0.0.1', port: 2000 })).toBe('127.0.0.1:2000');
  });

  it.each([
    ['', 'empty'],
    ['a:1,,b:2', 'empty server'],
    [':2181', 'missing host'],
    ['a:0', 'bad port'],
    ['a:65536', 'bad port'],
    ['a:x', 'bad port'],
    ['a:', 'bad port'],
    ['a:1/chroot', 'chroot'],
    ['::1:2181', 'brackets'],
    ['[::1', 'unclosed'],
    [Array.from({ length: 65 }, (_, i) => `h${i}:1`).join(','), 'more than 64'],
  ])('rejects %j', (input, reason) => {
    const parsed = parseConnectString(input);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });
});

describe('shuffled', () => {
  it('permutes with the injected random source and leaves the input alone', () => {
    const input = [1, 2, 3, 4, 5];
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const out = shuffled(input, random);
    expect(out.slice().sort()).toEqual(input);
    expect(input).toEqual([1, 2, 3, 4, 5]);
    expect(shuffled(input, () => 0.999)).toEqual([1, 2, 3, 4, 5]);
    expect(shuffled(input, () => 0)).toEqual([2, 3, 4, 5, 1]);
  });
});
