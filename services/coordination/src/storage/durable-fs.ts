/**
 * Small file-system steps that durability depends on. A new or removed directory entry is
 * durable only once the directory itself is fsynced (POSIX: fsync of the file does not cover
 * its name), so every create, rename and unlink in this layer is followed by `fsyncDir`.
 */
import { writeSync } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes all of `data` at `position`; a regular-file write may return short. */
export async function writeFully(handle: FileHandle, data: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written, position + written);
    if (bytesWritten === 0) throw new Error(`write made no progress at offset ${position + written}`);
    written += bytesWritten;
  }
}

/**
 * writeFully on the calling thread: for small writes, which only copy into the page cache, a
 * round trip through the thread pool costs more than the write itself.
 */
export function writeFullySync(fd: number, data: Buffer, position: number): void {
  let written = 0;
  while (written < data.length) {
    const bytesWritten = writeSync(fd, data, written, data.length - written, position + written);
    if (bytesWritten === 0) throw new Error(`write made no progress at offset ${position + written}`);
    written += bytesWritten;
  }
}

export function isErrnoCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === code;
}

/** mkdir -p, then fsyncs the parent of every directory it created so that they survive a crash. */
export async function mkdirDurable(dir: string, fsync = true): Promise<void> {
  const target = resolve(dir);
  const firstCreated = await mkdir(target, { recursive: true });
  if (firstCreated === undefined || !fsync) return;
  const topmost = resolve(firstCreated);
  for (let current = target; ; current = dirname(current)) {
    await fsyncDir(dirname(current));
    if (current === topmost || dirname(current) === current) return;
  }
}
