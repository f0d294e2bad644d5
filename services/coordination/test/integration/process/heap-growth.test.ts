// setHeapGrowth really changes when V8 runs its next full collection: a child process (the
// compiled module, as the server loads it) sets a growth, keeps allocating objects that stay
// alive, and reports how large its heap got, relative to what the last full GC left, before
// the next full GC came. SERVER_NODE_FLAGS really pin the young generation, and are what the
// coord-server bin runs node with.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const MODULE = path.resolve(__dirname, '../../../dist/heap-growth.js');

const CHILD = `
const { PerformanceObserver } = require('node:perf_hooks');
const { getHeapStatistics } = require('node:v8');
require(${JSON.stringify(MODULE)}).setHeapGrowth(Number(process.argv[1]));
let fullGcs = 0;
new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.detail.kind === 4) fullGcs++; }).observe({ entryTypes: ['gc'] });
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
(async () => {
  const live = Array.from({ length: 300000 }, (_, i) => ({ i, pair: [i, i + 1] }));
  global.gc();
  await pause(50); // the forced collection's entry arrives asynchronously
  const before = fullGcs;
  const base = getHeapStatistics().used_heap_size;
  const kept = [];
  let peak = base;
  for (let round = 0; round < 1000 && fullGcs === before; round++) {
    for (let i = 0; i < 10000; i++) kept.push({ i, pair: [i, round] });
    await pause(1);
    peak = Math.max(peak, getHeapStatistics().used_heap_size);
  }
  process.stdout.write(JSON.stringify({ ratio: peak / base, fullGc: fullGcs > before, live: live.length + kept.length }));
})();
`;

function growthBeforeFullGc(percent: number): { ratio: number; fullGc: boolean } {
  return JSON.parse(execFileSync(process.execPath, ['--expose-gc', '-e', CHILD, String(percent)], { encoding: 'utf8', timeout: 60_000 })) as { ratio: number; fullGc: boolean };
}

describe('setHeapGrowth', () => {
  test('the heap grows by about the given percent before the next full GC', () => {
    const small = growthBeforeFullGc(20);
    const large = growthBeforeFullGc(300);
    expect(small.fullGc).toBe(true);
    expect(large.fullGc).toBe(true);
    expect(small.ratio).toBeLessThan(2); // left to itself, V8 let this heap grow 4.3x
    expect(large.ratio).toBeGreaterThan(3);
  });

  test('refuses a growth that is no whole, non-negative percent', () => {
    const { setHeapGrowth } = require(MODULE) as typeof import('../../../src/heap-growth');
    expect(() => setHeapGrowth(-1)).toThrow(RangeError);
    expect(() => setHeapGrowth(1.5)).toThrow(RangeError);
  });
});

describe('SERVER_NODE_FLAGS', () => {
  const pinnedIn = (nodeFlags: string[]): boolean =>
    JSON.parse(execFileSync(process.execPath, [...nodeFlags, '-e', `process.stdout.write(JSON.stringify(require(${JSON.stringify(MODULE)}).youngGenerationPinned()))`], { encoding: 'utf8', timeout: 30_000 })) as boolean;

  test('pin the young generation, which a plain node leaves to shrink', () => {
    const { SERVER_NODE_FLAGS } = require(MODULE) as typeof import('../../../src/heap-growth');
    expect(pinnedIn([...SERVER_NODE_FLAGS])).toBe(true);
    expect(pinnedIn([])).toBe(false);
  });

  test('are the flags the coord-server bin\'s shebang gives node', () => {
    const { SERVER_NODE_FLAGS } = require(MODULE) as typeof import('../../../src/heap-growth');
    const shebang = fs.readFileSync(path.resolve(__dirname, '../../../dist/main.js'), 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${SERVER_NODE_FLAGS.join(' ')}`);
  });
});
