import {
  EMPTY_RESOURCES,
  GIB,
  MIB,
  addPortRanges,
  addResources,
  checkResources,
  containsPortRanges,
  containsResources,
  formatResources,
  isEmptyResources,
  makeResources,
  meetsMinimum,
  normalisePortRanges,
  parseResources,
  resourcesEqual,
  subtractPortRanges,
  subtractResources,
} from '../../../src/allocator';

describe('port ranges', () => {
  test('normalising sorts and merges overlapping and adjacent ranges', () => {
    const ranges = normalisePortRanges([
      { begin: 10, end: 12 },
      { begin: 3, end: 4 },
      { begin: 1, end: 2 },
      { begin: 11, end: 15 },
      { begin: 20, end: 20 },
    ]);
    expect(ranges).toEqual([
      { begin: 1, end: 4 },
      { begin: 10, end: 15 },
      { begin: 20, end: 20 },
    ]);
  });

  test('union merges across both lists', () => {
    expect(addPortRanges([{ begin: 1, end: 5 }, { begin: 20, end: 30 }], [{ begin: 6, end: 9 }, { begin: 25, end: 40 }])).toEqual([
      { begin: 1, end: 9 },
      { begin: 20, end: 40 },
    ]);
  });

  test('subtracting a port from the middle splits the range', () => {
    expect(subtractPortRanges([{ begin: 31000, end: 32000 }], [{ begin: 31500, end: 31500 }])).toEqual([
      { begin: 31000, end: 31499 },
      { begin: 31501, end: 32000 },
    ]);
    expect(subtractPortRanges([{ begin: 1, end: 10 }], [{ begin: 1, end: 10 }])).toEqual([]);
  });

  test('containment needs every port', () => {
    const outer = [{ begin: 1, end: 10 }, { begin: 20, end: 30 }];
    expect(containsPortRanges(outer, [{ begin: 2, end: 3 }, { begin: 25, end: 30 }])).toBe(true);
    expect(containsPortRanges(outer, [{ begin: 9, end: 20 }])).toBe(false);
    expect(containsPortRanges(outer, [{ begin: 31, end: 31 }])).toBe(false);
  });
});

describe('resources arithmetic', () => {
  const a = makeResources({ cpusMilli: 100, memBytes: 64 * MIB, ports: [{ begin: 1000, end: 1009 }] });
  const b = makeResources({ cpusMilli: 200, memBytes: 32 * MIB, gpus: 1, ports: [{ begin: 1010, end: 1019 }] });

  test('adding is exact in integer units (0.1 + 0.2 cpus is 0.3)', () => {
    const sum = addResources(a, b);
    expect(sum).toEqual({ cpusMilli: 300, memBytes: 96 * MIB, diskBytes: 0, gpus: 1, ports: [{ begin: 1000, end: 1019 }] });
    expect(resourcesEqual(subtractResources(sum, b), a)).toBe(true);
  });

  test('subtracting what is not there is a bug and throws', () => {
    expect(() => subtractResources(a, b)).toThrow(/subtracting/);
    expect(() => subtractResources(a, makeResources({ ports: [{ begin: 999, end: 999 }] }))).toThrow(/subtracting/);
  });

  test('containment compares every kind, ports included', () => {
    expect(containsResources(addResources(a, b), a)).toBe(true);
    expect(containsResources(a, addResources(a, b))).toBe(false);
    expect(containsResources(a, makeResources({ cpusMilli: 100, ports: [{ begin: 1005, end: 1010 }] }))).toBe(false);
    expect(containsResources(a, EMPTY_RESOURCES)).toBe(true);
  });

  test('isEmpty', () => {
    expect(isEmptyResources(EMPTY_RESOURCES)).toBe(true);
    expect(isEmptyResources(makeResources({}))).toBe(true);
    expect(isEmptyResources(makeResources({ ports: [{ begin: 5, end: 5 }] }))).toBe(false);
  });

  test('minimum offer alternatives read as "either"; no alternatives means no minimum', () => {
    const mins = [{ cpusMilli: 10 }, { memBytes: 32 * MIB }];
    expect(meetsMinimum(makeResources({ cpusMilli: 10 }), mins)).toBe(true);
    expect(meetsMinimum(makeResources({ memBytes: 32 * MIB }), mins)).toBe(true);
    expect(meetsMinimum(makeResources({ cpusMilli: 9, memBytes: 31 * MIB }), mins)).toBe(false);
    expect(meetsMinimum(makeResources({ cpusMilli: 9 }), [])).toBe(true);
  });

  test('invalid input is reported, not thrown', () => {
    expect(checkResources({ cpusMilli: 0.5 })).toMatchObject({ ok: false, code: 'INVALID_RESOURCES', message: expect.stringMatching(/cpusMilli/) });
    expect(checkResources({ memBytes: -1 })).toMatchObject({ ok: false, message: expect.stringMatching(/memBytes.*non-negative/) });
    expect(checkResources({ ports: [{ begin: 10, end: 5 }] })).toMatchObject({ ok: false, message: expect.stringMatching(/begin > end/) });
    expect(checkResources({ ports: [{ begin: 1, end: 70000 }] })).toMatchObject({ ok: false, message: expect.stringMatching(/outside/) });
    expect(() => makeResources({ gpus: Number.NaN })).toThrow(RangeError);
  });
});

describe('resources text', () => {
  test('parses the human form', () => {
    const parsed = parseResources('cpus:0.5;mem:64MiB;disk:1GiB;ports:[31000-32000]');
    expect(parsed).toEqual({
      ok: true,
      resources: { cpusMilli: 500, memBytes: 64 * MIB, diskBytes: GIB, gpus: 0, ports: [{ begin: 31000, end: 32000 }] },
    });
  });

  test('accepts Mesos conventions: bare mem in MiB, fractional sizes, single ports, spaces', () => {
    const parsed = parseResources(' cpus : 2 ; mem:512 ; disk:1.5GiB; gpus:1; ports:[80, 31000-31001, 443] ;');
    expect(parsed.ok && parsed.resources).toEqual({
      cpusMilli: 2000,
      memBytes: 512 * MIB,
      diskBytes: 1536 * MIB,
      gpus: 1,
      ports: [{ begin: 80, end: 80 }, { begin: 443, end: 443 }, { begin: 31000, end: 31001 }],
    });
  });

  test('formats back to text that parses to the same resources', () => {
    const r = makeResources({ cpusMilli: 1250, memBytes: 1536 * MIB, diskBytes: 1000, gpus: 2, ports: [{ begin: 1, end: 1 }, { begin: 5, end: 9 }] });
    const text = formatResources(r);
    expect(text).toBe('cpus:1.25;mem:1536MiB;disk:1000B;gpus:2;ports:[1-1,5-9]');
    const back = parseResources(text);
    expect(back.ok && resourcesEqual(back.resources, r)).toBe(true);
    expect(formatResources(EMPTY_RESOURCES)).toBe('');
    expect(parseResources('')).toEqual({ ok: true, resources: EMPTY_RESOURCES });
  });

  test.each([
    ['cpus:0.0005', /cpus.*at most 3 decimals/],
    ['cpus:-1', /not a non-negative decimal/],
    ['cpus:abc', /not a non-negative decimal/],
    ['gpus:1.5', /whole GPUs/],
    ['mem:12XB', /unknown size unit "XB".*KiB, MiB/],
    ['mem:0.3B', /whole number/],
    ['disk:', /not a size/],
    ['ports:31000-32000', /bracketed list/],
    ['ports:[2-1]', /begin > end/],
    ['ports:[70000]', /above 65535/],
    ['ports:[a-b]', /not N or N-M/],
    ['cpus:1;cpus:2', /given twice/],
    ['memory:1GiB', /unknown resource "memory".*known: cpus, mem/],
    ['cpus', /expected name:value/],
    ['mem:99999999999999999999TiB', /too large/],
  ])('rejects %s with a clear error', (text, message) => {
    const parsed = parseResources(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.code).toBe('BAD_RESOURCES_TEXT');
    expect(!parsed.ok && parsed.message).toMatch(message);
  });

  test('rejects text over the length limit', () => {
    expect(parseResources(`cpus:1;${' '.repeat(5000)}`)).toMatchObject({ ok: false, message: expect.stringMatching(/longer than 4096/) });
  });
});
