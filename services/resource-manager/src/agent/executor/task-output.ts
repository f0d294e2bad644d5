// Reading a task's stdout/stderr files from its sandbox, by offset (Mesos /files/read) and as a
// bounded tail -f.

import * as fs from 'node:fs/promises';
import { isErrno } from './proc-stat';

export type OutputStream = 'stdout' | 'stderr';

export interface OutputChunk {
  readonly data: Buffer;
  readonly offset: number;
  /** The file's size when read: offset + data.length < sizeBytes means there is more. */
  readonly sizeBytes: number;
}

/** Reads up to `length` bytes at `offset`; past the end it answers empty data. */
export async function readFileChunk(file: string, offset: number, length: number): Promise<OutputChunk> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return { data: Buffer.alloc(0), offset, sizeBytes: 0 };
    throw err;
  }
  try {
    const sizeBytes = (await handle.stat()).size;
    const want = Math.max(0, Math.min(length, sizeBytes - offset));
    const data = Buffer.alloc(want);
    const { bytesRead } = want > 0 ? await handle.read(data, 0, want, offset) : { bytesRead: 0 };
    return { data: data.subarray(0, bytesRead), offset, sizeBytes };
  } finally {
    await handle.close();
  }
}

export interface FollowOptions {
  readonly offset?: number;
  /** Stop after this many bytes (the bound). */
  readonly maxBytes?: number;
  readonly pollMs?: number;
  readonly chunkBytes?: number;
  readonly signal?: AbortSignal;
}

export interface FollowSource {
  readonly file: string;
  /** True once the task is terminal: then the follower drains what is left and stops. */
  readonly ended: () => boolean;
}

/**
 * Yields new bytes as they are appended, until the task has ended and everything is read, the
 * byte bound is reached, or the signal aborts.
 */
export async function* followFile(source: FollowSource, opts: Required<Omit<FollowOptions, 'signal'>> & { signal?: AbortSignal }): AsyncGenerator<Buffer> {
  let offset = opts.offset;
  let remaining = opts.maxBytes;
  while (remaining > 0 && !opts.signal?.aborted) {
    const endedBeforeRead = source.ended();
    const chunk = await readFileChunk(source.file, offset, Math.min(opts.chunkBytes, remaining));
    if (chunk.data.length > 0) {
      offset += chunk.data.length;
      remaining -= chunk.data.length;
      yield chunk.data;
      continue;
    }
    // Ended before a read that found nothing new: nothing more can come.
    if (endedBeforeRead) return;
    await pause(opts.pollMs, opts.signal);
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
