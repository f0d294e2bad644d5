import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataDir } from '../../../src/storage';
import { useTempDir } from './storage-test-helpers';

const tempDir = useTempDir();
/** Above Linux's largest pid_max (2^22), so no process can have it. */
const DEAD_PID = 4_194_305;

describe('DataDir', () => {
  it('creates log/ and snapshots/ and a LOCK holding our pid, removed on release', async () => {
    const dataDir = await DataDir.open(tempDir());
    expect((await readdir(tempDir())).sort()).toEqual(['LOCK', 'log', 'snapshots']);
    expect(dataDir.logDir).toBe(join(tempDir(), 'log'));
    expect(dataDir.snapshotDir).toBe(join(tempDir(), 'snapshots'));
    expect(dataDir.metadataPath('currentEpoch')).toBe(join(tempDir(), 'currentEpoch'));
    expect(await readFile(join(tempDir(), 'LOCK'), 'utf8')).toBe(`${process.pid}\n`);
    expect(dataDir.takenOverFromPid).toBeNull();
    await dataDir.release();
    expect((await readdir(tempDir())).sort()).toEqual(['log', 'snapshots']);
  });

  it('refuses a second opener while the lock is held, naming the holder', async () => {
    const first = await DataDir.open(tempDir());
    await expect(DataDir.open(tempDir())).rejects.toMatchObject({
      code: 'DATA_DIR_LOCKED',
      message: expect.stringContaining(`in use by process ${process.pid}`),
    });
    await first.release();
    const second = await DataDir.open(tempDir());
    await second.release();
  });

  it('refuses a directory locked by another live process', async () => {
    await writeFile(join(tempDir(), 'LOCK'), `${process.ppid}\n`);
    await expect(DataDir.open(tempDir())).rejects.toMatchObject({
      code: 'DATA_DIR_LOCKED',
      message: expect.stringContaining(`in use by process ${process.ppid}`),
    });
    expect(await readFile(join(tempDir(), 'LOCK'), 'utf8')).toBe(`${process.ppid}\n`);
  });

  it('takes over the stale lock of a dead process, and of an unreadable lock', async () => {
    await writeFile(join(tempDir(), 'LOCK'), `${DEAD_PID}\n`);
    const dataDir = await DataDir.open(tempDir());
    expect(dataDir.takenOverFromPid).toBe(DEAD_PID);
    expect(await readFile(join(tempDir(), 'LOCK'), 'utf8')).toBe(`${process.pid}\n`);
    await dataDir.release();

    await writeFile(join(tempDir(), 'LOCK'), 'garbage');
    const again = await DataDir.open(tempDir());
    expect(await readFile(join(tempDir(), 'LOCK'), 'utf8')).toBe(`${process.pid}\n`);
    await again.release();
  });

  it('takes over a lock with our own pid that this process does not hold (a restarted container)', async () => {
    await writeFile(join(tempDir(), 'LOCK'), `${process.pid}\n`);
    const dataDir = await DataDir.open(tempDir());
    expect(dataDir.takenOverFromPid).toBe(process.pid);
    await dataDir.release();
  });

  it('does not remove a lock that another process took over meanwhile', async () => {
    const dataDir = await DataDir.open(tempDir());
    await writeFile(join(tempDir(), 'LOCK'), `${process.ppid}\n`);
    await dataDir.release();
    expect(await readFile(join(tempDir(), 'LOCK'), 'utf8')).toBe(`${process.ppid}\n`);
  });
});
