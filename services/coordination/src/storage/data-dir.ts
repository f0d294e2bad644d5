/**
 * A server's data directory: `log/` (write-ahead log segments), `snapshots/`, small metadata
 * files, and a `LOCK` file holding the owner's pid so that two servers never share one
 * directory (two writers would interleave log records and corrupt the log).
 *
 * The lock file appears complete or not at all: the pid is written to a temporary file that is
 * then hard-linked to `LOCK`, and link(2) fails when `LOCK` exists, as an O_EXCL create would.
 * A lock whose pid is dead is stale and taken over.
 */
import { link, open, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isErrnoCode, mkdirDurable, writeFully } from './durable-fs';
import { LOCK_FILE_NAME, TEMP_SUFFIX } from './file-names';
import { StorageError } from './storage-error';

const LOG_DIR_NAME = 'log';
const SNAPSHOT_DIR_NAME = 'snapshots';
/** Creating, finding stale and taking over can race with another starting server; give up after this. */
const LOCK_ATTEMPTS_MAX = 5;

/** Roots locked by this process: a lock with our own pid is ours only if it is in here. */
const heldRoots = new Set<string>();
let tempCounter = 0;

export class DataDir {
  private released = false;

  private constructor(
    readonly root: string,
    /** pid of the dead process whose stale lock was taken over, or null. */
    readonly takenOverFromPid: number | null,
  ) {}

  /** Creates the directory layout if needed and takes the lock. Fails with DATA_DIR_LOCKED. */
  static async open(dir: string): Promise<DataDir> {
    const root = resolve(dir);
    await mkdirDurable(join(root, LOG_DIR_NAME));
    await mkdirDurable(join(root, SNAPSHOT_DIR_NAME));
    const takenOverFromPid = await acquireLock(root);
    heldRoots.add(root);
    return new DataDir(root, takenOverFromPid);
  }

  get logDir(): string {
    return join(this.root, LOG_DIR_NAME);
  }

  get snapshotDir(): string {
    return join(this.root, SNAPSHOT_DIR_NAME);
  }

  get lockPath(): string {
    return join(this.root, LOCK_FILE_NAME);
  }

  /** Path of a metadata file in the root (e.g. `currentEpoch`, written with writeFileAtomic). */
  metadataPath(name: string): string {
    return join(this.root, name);
  }

  /** Removes the lock if it is still ours. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    heldRoots.delete(this.root);
    if ((await readLockPid(this.lockPath)) === process.pid) await rm(this.lockPath, { force: true });
  }
}

async function acquireLock(root: string): Promise<number | null> {
  const lockPath = join(root, LOCK_FILE_NAME);
  let takenOverFromPid: number | null = null;
  for (let attempt = 0; attempt < LOCK_ATTEMPTS_MAX; attempt++) {
    if (await tryCreateLock(lockPath)) return takenOverFromPid;
    const holder = await readLockContents(lockPath);
    if (holder === null) continue; // released meanwhile: try again
    const pid = parsePid(holder);
    if (pid !== null && isLockLive(root, pid)) {
      throw new StorageError('DATA_DIR_LOCKED', `data directory ${root} is in use by process ${pid} (lock file ${lockPath}); two servers cannot share a data directory`);
    }
    if (await removeStaleLock(lockPath, holder)) takenOverFromPid = pid;
  }
  throw new StorageError('DATA_DIR_LOCKED', `could not lock data directory ${root} after ${LOCK_ATTEMPTS_MAX} attempts: another process keeps taking ${lockPath}`);
}

/** True when the lock now holds our pid; false when another lock file is in the way. */
async function tryCreateLock(lockPath: string): Promise<boolean> {
  const tempPath = `${lockPath}.${process.pid}-${tempCounter++}${TEMP_SUFFIX}`;
  const handle = await open(tempPath, 'w');
  try {
    await writeFully(handle, Buffer.from(`${process.pid}\n`, 'utf8'), 0);
  } finally {
    await handle.close();
  }
  try {
    await link(tempPath, lockPath);
    return true;
  } catch (err) {
    if (isErrnoCode(err, 'EEXIST')) return false;
    throw err;
  } finally {
    await rm(tempPath, { force: true });
  }
}

function isLockLive(root: string, pid: number): boolean {
  // A container restarts with the same pid: a lock with our pid that we did not take is stale.
  if (pid === process.pid) return heldRoots.has(root);
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return !isErrnoCode(err, 'ESRCH');
  }
}

/**
 * Moves the stale lock aside and deletes it only if it is still the one judged stale; if a
 * live server replaced it meanwhile, puts that one back. Returns whether the stale one went.
 */
async function removeStaleLock(lockPath: string, staleContents: string): Promise<boolean> {
  const asidePath = `${lockPath}.stale-${process.pid}-${tempCounter++}${TEMP_SUFFIX}`;
  try {
    await rename(lockPath, asidePath);
  } catch (err) {
    if (isErrnoCode(err, 'ENOENT')) return false;
    throw err;
  }
  const moved = await readFile(asidePath, 'utf8');
  if (moved !== staleContents) {
    await link(asidePath, lockPath).catch((err: unknown) => {
      if (!isErrnoCode(err, 'EEXIST')) throw err;
    });
  }
  await rm(asidePath);
  return moved === staleContents;
}

async function readLockContents(lockPath: string): Promise<string | null> {
  try {
    return await readFile(lockPath, 'utf8');
  } catch (err) {
    if (isErrnoCode(err, 'ENOENT')) return null;
    throw err;
  }
}

async function readLockPid(lockPath: string): Promise<number | null> {
  const contents = await readLockContents(lockPath);
  return contents === null ? null : parsePid(contents);
}

function parsePid(contents: string): number | null {
  const pid = Number.parseInt(contents.trim(), 10);
  return Number.isSafeInteger(pid) && pid > 0 && String(pid) === contents.trim() ? pid : null;
}
