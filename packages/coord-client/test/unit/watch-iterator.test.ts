import { WatchIterator } from '../../src/watch-iterator';
import type { WatchEvent } from '../../src/types';

const event = (path: string): WatchEvent => ({ type: 'NODE_DATA_CHANGED', path, zxid: 1, state: 'connected' });

function iterator(bufferMax = 10): { it: WatchIterator; closed: () => number } {
  let closes = 0;
  const it = new WatchIterator(Promise.resolve(), async () => {
    closes++;
  }, bufferMax);
  return { it, closed: () => closes };
}

describe('WatchIterator', () => {
  it('yields buffered and later events in order', async () => {
    const { it } = iterator();
    it.push(event('/a'));
    const pending = it.next();
    it.push(event('/b'));
    expect((await pending).value).toEqual(event('/a'));
    const waiting = it.next();
    it.push(event('/c'));
    expect((await it.next()).value).toEqual(event('/c'));
    expect((await waiting).value).toEqual(event('/b'));
  });

  it('ends after the buffered events; later pushes are dropped', async () => {
    const { it } = iterator();
    it.push(event('/a'));
    it.end();
    it.push(event('/b'));
    expect((await it.next()).value).toEqual(event('/a'));
    expect((await it.next()).done).toBe(true);
  });

  it('fails once with the error, then reports done', async () => {
    const { it } = iterator();
    it.push(event('/a'));
    it.fail(new Error('expired'));
    expect((await it.next()).value).toEqual(event('/a'));
    await expect(it.next()).rejects.toThrow('expired');
    expect((await it.next()).done).toBe(true);
  });

  it('rejects a waiting consumer at once when it fails', async () => {
    const { it } = iterator();
    const waiting = it.next();
    it.fail(new Error('expired'));
    await expect(waiting).rejects.toThrow('expired');
  });

  it('fails when the setup fails', async () => {
    const it = new WatchIterator(Promise.reject(new Error('no watch')), async () => undefined);
    await expect(it.next()).rejects.toThrow('no watch');
    await expect(it.ready).rejects.toThrow('no watch');
  });

  it('fails with a clear error when the consumer falls too far behind', async () => {
    const { it, closed } = iterator(2);
    it.push(event('/1'));
    it.push(event('/2'));
    it.push(event('/3'));
    expect(closed()).toBe(1);
    await expect(it.next()).rejects.toMatchObject({ code: 'SYSTEM_ERROR' });
  });

  it('breaking out of for-await closes it (once)', async () => {
    const { it, closed } = iterator();
    it.push(event('/a'));
    it.push(event('/b'));
    for await (const e of it) {
      expect(e.path).toBe('/a');
      break;
    }
    await it.close();
    expect(closed()).toBe(1);
    expect((await it.next()).done).toBe(true);
  });

  it('takeBuffered drains without waiting', () => {
    const { it } = iterator();
    it.push(event('/a'));
    it.push(event('/b'));
    expect(it.takeBuffered().map((e) => e.path)).toEqual(['/a', '/b']);
    expect(it.takeBuffered()).toEqual([]);
  });
});
