// The in-memory log's entry storage: entries come back as they went in, the views it hands out
// survive anything the log does later, and compaction gives the payload space back.
import { EntryStore } from '../../src/entry-store';
import type { Entry, EntryType } from '../../src/types';

function entry(index: number, term: number, data: Uint8Array, type: EntryType = 'normal'): Entry {
  return { index, term, type, data };
}

function filled(size: number, byte: number): Uint8Array {
  return new Uint8Array(size).fill(byte);
}

describe('EntryStore', () => {
  test('returns each entry as it was appended, whatever its size', () => {
    const store = new EntryStore(11);
    const sizes = [0, 1, 100, 40 * 1024, 300 * 1024, 7, 256 * 1024, 0, 5];
    const appended = sizes.map((size, k) => entry(11 + k, 1 + (k >> 2), filled(size, k + 1), k === 0 ? 'noop' : k === 5 ? 'config' : 'normal'));
    for (const e of appended) store.push(e);
    expect(store.lastIndex()).toBe(11 + sizes.length - 1);
    for (const e of appended) {
      expect(store.entry(e.index)).toEqual(e);
      expect(store.term(e.index)).toBe(e.term);
      expect(store.dataLength(e.index)).toBe(e.data.length);
    }
    expect(store.range(12, 14)).toEqual(appended.slice(1, 4));
    expect(store.range(5, 12)).toEqual(appended.slice(0, 2)); // clamped to what is held
    expect(store.entry(10)).toBeUndefined();
    expect(store.entry(11 + sizes.length)).toBeUndefined();
  });

  test('keeps its own copy of the data', () => {
    const store = new EntryStore(1);
    const data = filled(10, 7);
    store.push(entry(1, 1, data));
    data.fill(9);
    expect(store.entry(1)?.data).toEqual(filled(10, 7));
  });

  test('a view handed out keeps its bytes after the tail it belongs to is replaced', () => {
    const store = new EntryStore(1);
    for (let i = 1; i <= 5; i++) store.push(entry(i, 1, filled(64, i)));
    const old = store.entry(4) as Entry;
    store.truncateFrom(4);
    expect(store.lastIndex()).toBe(3);
    store.push(entry(4, 2, filled(64, 40)));
    store.push(entry(5, 2, filled(64, 50)));
    expect(old.data).toEqual(filled(64, 4));
    expect(store.entry(4)).toEqual(entry(4, 2, filled(64, 40)));
    expect(store.entry(3)).toEqual(entry(3, 1, filled(64, 3)));
  });

  test('dropping a prefix gives back the chunks only it used', () => {
    const store = new EntryStore(1);
    const n = 3000; // 3 MB of 1 KB payloads: a dozen chunks
    for (let i = 1; i <= n; i++) store.push(entry(i, 1, filled(1024, i & 0xff)));
    expect(store.heldBytes()).toBeGreaterThanOrEqual(n * 1024);
    const kept = store.entry(n) as Entry;
    store.dropBefore(n);
    expect(store.heldBytes()).toBeLessThanOrEqual(256 * 1024);
    expect(store.entry(n - 1)).toBeUndefined();
    expect(store.entry(n)).toEqual(kept);
    store.push(entry(n + 1, 2, filled(10, 1)));
    expect(store.range(n, n + 1)).toEqual([kept, entry(n + 1, 2, filled(10, 1))]);
  });

  test('reset forgets everything and starts at the given index', () => {
    const store = new EntryStore(1);
    for (let i = 1; i <= 3; i++) store.push(entry(i, 1, filled(300 * 1024, i)));
    store.reset(100);
    expect(store.heldBytes()).toBe(0);
    expect(store.lastIndex()).toBe(99);
    expect(store.entry(2)).toBeUndefined();
    store.push(entry(100, 3, filled(4, 4)));
    expect(store.entry(100)).toEqual(entry(100, 3, filled(4, 4)));
  });

  test('matches a plain list of entries over long runs of appends, truncations and compactions', () => {
    // Thousands of entries at a time, so that the prefixes dropped and the tails cut cross the
    // store's blocks of numbers at every offset.
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const store = new EntryStore(1);
    let model: Entry[] = [];
    let first = 1;
    let term = 1;
    for (let round = 0; round < 60; round++) {
      const action = rand(10);
      const last = first + model.length - 1;
      if (action < 6) {
        const count = 1 + rand(9000);
        for (let i = 0; i < count; i++) {
          const e = entry(first + model.length, term, filled(rand(4) === 0 ? 0 : 1 + rand(200), (round + i) % 251), i % 97 === 0 ? 'noop' : 'normal');
          store.push(e);
          model.push(e);
        }
      } else if (action < 8 && model.length > 0) {
        const from = first + rand(model.length);
        store.truncateFrom(from);
        model = model.slice(0, from - first);
        term++;
      } else if (model.length > 0) {
        const before = first + rand(model.length + 1);
        store.dropBefore(before);
        model = model.slice(before - first);
        first = before;
      }
      expect(store.lastIndex()).toBe(first + model.length - 1);
      if (last !== store.lastIndex() || round % 5 === 0) {
        for (let k = 0; k < model.length; k += 1 + rand(50)) expect(store.entry(first + k)).toEqual(model[k]);
        expect(store.entry(first - 1)).toBeUndefined();
        expect(store.term(first + model.length)).toBeUndefined();
      }
    }
    expect(store.range(first, first + model.length - 1)).toEqual(model);
  });
});
