/**
 * Whole-file replacement that never leaves a half-written file under the final name: write a
 * temporary file, fsync it, rename it over the target, fsync the directory. After a crash the
 * target holds either the old or the new contents. Used for small metadata (the current epoch,
 * the last vote) and for snapshots.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncDir, isErrnoCode, writeFully } from './durable-fs';
import { TEMP_SUFFIX } from './file-names';

export interface AtomicWriteOptions {
  /** Default true. Only tests and benchmarks turn it off. */
  fsync?: boolean;
}

let tempCounter = 0;

/** Replaces `path` with `data` (a string is written as UTF-8; a list of buffers back to back). */
export async function writeFileAtomic(
  path: string,
  data: Buffer | string | readonly Buffer[],
  opts: AtomicWriteOptions = {},
): Promise<void> {
  const fsync = opts.fsync ?? true;
  const parts = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : Buffer.isBuffer(data) ? [data] : data;
  const dir = dirname(path);
  // Unique per process and call, ending in TEMP_SUFFIX so directory listings can skip it.
  const tempPath = join(dir, `${basename(path)}.${process.pid}-${tempCounter++}${TEMP_SUFFIX}`);
  try {
    const handle = await open(tempPath, 'wx');
    try {
      let position = 0;
      for (const part of parts) {
        await writeFully(handle, part, position);
        position += part.length;
      }
      if (fsync) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tempPath, path);
  } catch (err) {
    await removeTempAfterFailure(tempPath, err);
    throw err;
  }
  if (fsync) await fsyncDir(dir);
}

/** The file's contents, or null when it does not exist. */
export async function readFileIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    if (isErrnoCode(err, 'ENOENT')) return null;
    throw err;
  }
}

async function removeTempAfterFailure(tempPath: string, original: unknown): Promise<void> {
  try {
    await rm(tempPath, { force: true });
  } catch (cleanupErr) {
    throw new Error(`could not remove ${tempPath} after a failed atomic write: ${String(cleanupErr)}`, { cause: original });
  }
}
