import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory under the OS temp dir per test, removed afterwards. */
export function useTempDir(): () => string {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ensemble-storage-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/** mulberry32: a small seeded PRNG so that every "random" test input can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 20 bytes for every key, so a log record is 36 bytes and 10 fill a 360-byte segment. */
export function payloadFor(key: number): Buffer {
  return Buffer.from(`txn-${String(key).padStart(16, '0')}`, 'utf8');
}

export const RECORDS_PER_SEGMENT = 10;
export const SEGMENT_MAX_BYTES = 360;
