/**
 * Snapshots of the replicated state, one file per snapshot named by the zxid it covers
 * (ZooKeeper: `snapshot.<zxid>`). A snapshot is written atomically (temporary file, fsync,
 * rename, directory fsync), so a crash leaves either no new snapshot or a complete one; a
 * snapshot damaged later is detected by its CRCs and skipped in favour of an older one.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import assert from 'node:assert';
import { readFileIfExists, writeFileAtomic } from './atomic-file';
import { fsyncDir, isErrnoCode, mkdirDurable } from './durable-fs';
import { isValidKey, parseSnapshotName, snapshotName, TEMP_SUFFIX } from './file-names';
import { decodeSnapshot, encodeSnapshotHeader, type SnapshotFaultReason } from './snapshot-codec';
import { StorageError } from './storage-error';
import { STORAGE_LIMITS } from './storage-limits';

export interface SnapshotInfo {
  zxid: number;
  path: string;
}

export interface CorruptSnapshot {
  zxid: number;
  path: string;
  reason: SnapshotFaultReason;
}

export interface LoadedSnapshot {
  zxid: number;
  data: Buffer;
  path: string;
  /** Newer snapshots that did not verify and were passed over, newest first. */
  skipped: CorruptSnapshot[];
}

export interface SnapshotStoreOptions {
  /** Default true; off only for tests and benchmarks. */
  fsync?: boolean;
  /** Told about every snapshot that does not verify, also when none verifies. */
  onCorrupt?: (corrupt: CorruptSnapshot) => void;
}

export class SnapshotStore {
  private readonly fsync: boolean;
  private readonly onCorrupt: ((corrupt: CorruptSnapshot) => void) | null;
  private savesInFlight = 0;

  /** No I/O here; the directory is created by the first save. */
  constructor(
    readonly dir: string,
    opts: SnapshotStoreOptions = {},
  ) {
    this.fsync = opts.fsync ?? true;
    this.onCorrupt = opts.onCorrupt ?? null;
  }

  /** Writes `snapshot.<zxid hex>` atomically and resolves to its path. */
  async save(zxid: number, data: Buffer | readonly Buffer[]): Promise<string> {
    assert(isValidKey(zxid), `snapshot zxid must be a non-negative safe integer, got ${zxid}`);
    // In parts, a caller's header and a large state need not be copied into one buffer first.
    const parts = Buffer.isBuffer(data) ? [data] : data;
    const bytes = parts.reduce((n, part) => n + part.length, 0);
    if (bytes > STORAGE_LIMITS.snapshotMaxBytes) {
      throw new StorageError('SNAPSHOT_TOO_LARGE', `snapshot of ${bytes} bytes exceeds the limit of ${STORAGE_LIMITS.snapshotMaxBytes}`);
    }
    const path = join(this.dir, snapshotName(zxid));
    this.savesInFlight++;
    try {
      await mkdirDurable(this.dir, this.fsync);
      await writeFileAtomic(path, [encodeSnapshotHeader(zxid, parts), ...parts], { fsync: this.fsync });
    } finally {
      this.savesInFlight--;
    }
    return path;
  }

  /** The newest snapshot that verifies, or null when there is none. */
  async loadLatest(): Promise<LoadedSnapshot | null> {
    const skipped: CorruptSnapshot[] = [];
    for (const info of (await this.list()).reverse()) {
      const file = await readFileIfExists(info.path);
      if (file === null) continue; // purged since it was listed
      const decoded = decodeSnapshot(file, info.zxid);
      if (decoded.ok) return { zxid: decoded.zxid, data: decoded.data, path: info.path, skipped };
      const corrupt = { ...info, reason: decoded.reason };
      skipped.push(corrupt);
      this.onCorrupt?.(corrupt);
    }
    return null;
  }

  /** Complete snapshot files, oldest first (whether they verify is checked on load). */
  async list(): Promise<SnapshotInfo[]> {
    const infos: SnapshotInfo[] = [];
    for (const name of await this.readNames()) {
      const zxid = parseSnapshotName(name);
      if (zxid !== null) infos.push({ zxid, path: join(this.dir, name) });
    }
    return infos.sort((a, b) => a.zxid - b.zxid);
  }

  /**
   * Keeps the newest `retainCount` snapshots and removes the rest, and the temporary files of
   * saves cut short by a crash. Resolves to the snapshots kept, oldest first.
   */
  async purge(retainCount: number): Promise<SnapshotInfo[]> {
    assert(Number.isInteger(retainCount) && retainCount >= 1, `purge must retain at least one snapshot, got ${retainCount}`);
    const all = await this.list();
    const cut = Math.max(0, all.length - retainCount);
    const doomed = all.slice(0, cut).map((s) => s.path);
    if (this.savesInFlight === 0) doomed.push(...(await this.readNames()).filter(isTempName).map((n) => join(this.dir, n)));
    for (const path of doomed) await rm(path, { force: true });
    if (doomed.length > 0 && this.fsync) await fsyncDir(this.dir);
    return all.slice(cut);
  }

  private async readNames(): Promise<string[]> {
    try {
      return await readdir(this.dir);
    } catch (err) {
      if (isErrnoCode(err, 'ENOENT')) return [];
      throw err;
    }
  }
}

function isTempName(name: string): boolean {
  return name.startsWith('snapshot.') && name.endsWith(TEMP_SUFFIX);
}
