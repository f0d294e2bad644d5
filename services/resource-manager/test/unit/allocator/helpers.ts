// Shared helpers for the allocator tests: a seeded PRNG and short resource constructors.

import { Allocator, AllocatorOptions, GIB, MIB, Offer, Resources, ResourcesInput, makeResources } from '../../../src/allocator';

/** mulberry32: a failing seed replays exactly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** res(2, 4) = 2 cpus and 4 GiB of memory. */
export function res(cpus: number, memGiB: number, extra: ResourcesInput = {}): Resources {
  return makeResources({ cpusMilli: Math.round(cpus * 1000), memBytes: Math.round(memGiB * GIB), ...extra });
}

export { GIB, MIB };

export function newAllocator(options: AllocatorOptions = {}): Allocator {
  return new Allocator({ debugChecks: true, ...options });
}

export function mustOk(result: { ok: boolean; message?: string }): void {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result)}`);
}

/** The only offer of a cycle (fails the test if there is not exactly one). */
export function onlyOffer(offers: readonly Offer[]): Offer {
  expect(offers).toHaveLength(1);
  return offers[0];
}
