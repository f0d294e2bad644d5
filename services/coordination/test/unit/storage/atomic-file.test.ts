import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileIfExists, writeFileAtomic } from '../../../src/storage';
import { useTempDir } from './storage-test-helpers';

const tempDir = useTempDir();

describe('writeFileAtomic / readFileIfExists', () => {
  it('creates and replaces a file, leaving no temporary file behind', async () => {
    const path = join(tempDir(), 'currentEpoch');
    expect(await readFileIfExists(path)).toBeNull();
    await writeFileAtomic(path, '1\n');
    await writeFileAtomic(path, Buffer.from('2\n'));
    expect((await readFileIfExists(path))?.toString()).toBe('2\n');
    await writeFileAtomic(path, [Buffer.from('3'), Buffer.from('\n')]);
    expect(await readFile(path, 'utf8')).toBe('3\n');
    expect(await readdir(tempDir())).toEqual(['currentEpoch']);
  });

  it('fails without touching the target when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(tempDir(), 'missing', 'x'), 'data')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(tempDir())).toEqual([]);
  });

  it('passes other read errors on', async () => {
    await expect(readFileIfExists(tempDir())).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
