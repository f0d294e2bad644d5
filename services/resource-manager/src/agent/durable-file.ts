// Durable writes for the agent's work dir: what the agent checkpoints must survive a crash of the
// agent (kill -9) or of the host. A replaced file is written to a temp file, fsynced, renamed
// over the old one and its directory fsynced, so a reader finds the old content or the new, never
// a mix; an appended record is fsynced before the call returns.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function writeFileDurably(file: string, data: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  syncDir(path.dirname(file));
}

/** Appends `data` and fsyncs it; a file this call creates also gets its directory entry synced. */
export function appendDurably(file: string, data: string): void {
  const created = !fs.existsSync(file);
  const fd = fs.openSync(file, 'a', 0o600);
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (created) syncDir(path.dirname(file));
}

export function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
