/**
 * Crash test of the write-ahead log: a real child process appends with many appends in flight
 * and prints each key once its append resolves; the test kill -9s it at a seeded moment and
 * checks that the log it recovers holds every acknowledged key, as a gap-free prefix of what
 * was attempted, each record byte for byte. Several crash/restart rounds share one directory,
 * so recovery of one crash is the starting point of the next.
 *
 * Runs the compiled build: `npx tsc -b` first.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WriteAheadLog } from '../../../src/storage';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const WRITER = join(FIXTURES, 'wal-crash-writer.js');
const DIST_STORAGE = join(__dirname, '..', '..', '..', 'dist', 'storage', 'index.js');
const { expectedPayload } = require(join(FIXTURES, 'wal-crash-payload.js')) as { expectedPayload: (key: number) => Buffer };

const SEED = Number(process.env.WAL_CRASH_SEED ?? 20240611);
const ROUNDS = 5;
const SEGMENT_MAX_BYTES = 16 * 1024; // ~110 records: every round crosses segment boundaries
const APPENDS_MAX = 200_000; // the writer stops by itself if it is never killed
const ROUND_DEADLINE_MS = 10_000;

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RoundResult {
  startKey: number;
  acknowledged: number[];
  killed: boolean;
}

/** Runs the writer until `killAfterAcks` keys are acknowledged, then SIGKILLs it. */
function runWriter(dir: string, inFlight: number, killAfterAcks: number): Promise<RoundResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dir, String(inFlight), String(SEGMENT_MAX_BYTES), String(APPENDS_MAX)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acknowledged: number[] = [];
    let startKey = -1;
    let partial = '';
    let stderr = '';
    let killed = false;
    const deadline = setTimeout(() => child.kill('SIGKILL'), ROUND_DEADLINE_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('ready ')) startKey = Number(line.slice(6)) + 1;
        else acknowledged.push(Number(line));
      }
      if (!killed && acknowledged.length >= killAfterAcks) {
        killed = child.kill('SIGKILL');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      if (signal !== 'SIGKILL' || !killed) reject(new Error(`writer ended by itself (code ${code}, signal ${signal}): ${stderr}`));
      else resolve({ startKey, acknowledged, killed });
    });
  });
}

describe('write-ahead log survives kill -9', () => {
  let dir = '';

  beforeAll(() => {
    if (!existsSync(DIST_STORAGE)) throw new Error(`${DIST_STORAGE} is missing: run \`npx tsc -b\` first`);
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ensemble-wal-crash-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged append across ${ROUNDS} crashes (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    let durableKey = 0; // every key up to here was acknowledged in an earlier round
    for (let round = 0; round < ROUNDS; round++) {
      const inFlight = [1, 64, 256][round % 3];
      // One append per fdatasync at inFlight 1: fewer acknowledgements keep the round short.
      const killAfterAcks = inFlight === 1 ? 20 + Math.floor(random() * 300) : 50 + Math.floor(random() * 1500);
      const result = await runWriter(dir, inFlight, killAfterAcks);
      const context = `seed ${SEED} round ${round} inFlight ${inFlight} killAfterAcks ${killAfterAcks}`;

      // The writer resumed right after what the previous recovery kept.
      expect({ context, startKey: result.startKey }).toEqual({ context, startKey: durableKey + 1 });
      // It acknowledged in append order (appends resolve in order).
      const expectedAcks = Array.from({ length: result.acknowledged.length }, (_, i) => result.startKey + i);
      expect(result.acknowledged).toEqual(expectedAcks);
      const lastAcknowledged = result.acknowledged[result.acknowledged.length - 1];

      const { wal, records } = await WriteAheadLog.open(dir, { segmentMaxBytes: SEGMENT_MAX_BYTES });
      await wal.close();
      const keys = records.map((r) => r.key);
      // A gap-free prefix of the attempted keys 1, 2, 3, ... that covers every acknowledged key.
      expect({ context, firstKey: keys[0], gapAt: keys.findIndex((k, i) => k !== i + 1) }).toEqual({ context, firstKey: 1, gapAt: -1 });
      expect({ context, acknowledgedMissing: Math.max(0, lastAcknowledged - keys.length) }).toEqual({ context, acknowledgedMissing: 0 });
      // No record comes back altered.
      const altered = records.filter((r) => !r.payload.equals(expectedPayload(r.key))).map((r) => r.key);
      expect({ context, altered }).toEqual({ context, altered: [] });
      durableKey = keys.length;
    }
  }, 30_000);
});
