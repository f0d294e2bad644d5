import { ChildSet, upperBound } from '../../../src/tree/child-set';
import { pick, seededRandom } from './tree-fixtures';

describe('ChildSet', () => {
  it('lists names in code-unit order, whatever the insertion order', () => {
    const set = new ChildSet<number>();
    for (const name of ['b', 'a10', 'a9', 'Z', 'é', 'a']) set.add(name, 0);
    expect(set.sortedNames()).toEqual(['Z', 'a', 'a10', 'a9', 'b', 'é']);
  });

  it('keeps the order through adds and deletes between reads, including a name deleted and added again', () => {
    const set = new ChildSet<number>();
    for (const name of ['c', 'a', 'b']) set.add(name, 0);
    expect(set.sortedNames()).toEqual(['a', 'b', 'c']);
    set.delete('b');
    set.add('b', 1);
    set.add('d', 0);
    set.delete('d');
    set.delete('a');
    set.add('aa', 0);
    expect(set.sortedNames()).toEqual(['aa', 'b', 'c']);
    expect(set.get('b')).toBe(1);
  });

  it('folds many changes between two reads in one go', () => {
    const set = new ChildSet<number>();
    for (let i = 0; i < 500; i++) set.add(`c${i}`, i);
    expect(set.sortedNames()).toHaveLength(500);
    for (let i = 0; i < 500; i += 2) set.delete(`c${i}`);
    for (let i = 0; i < 100; i++) set.add(`b${i}`, i);
    const names = set.sortedNames();
    expect(names).toEqual([...names].sort());
    expect(names).toHaveLength(350);
    expect(names[0]).toBe('b0');
    expect(names.includes('c0')).toBe(false);
    expect(names.includes('c1')).toBe(true);
  });

  it('matches a sorted model over random adds, deletes and reads', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rand = seededRandom(seed);
      const set = new ChildSet<number>();
      const model = new Set<string>();
      const names = Array.from({ length: 60 }, (_, i) => `n${(i * 7919) % 97}`);
      for (let step = 0; step < 2000; step++) {
        const name = pick(rand, names);
        const r = rand();
        if (r < 0.05) expect(set.sortedNames()).toEqual([...model].sort());
        else if (r < 0.1) expect(new Map(set.entries())).toEqual(new Map([...model].map((n) => [n, set.get(n)])));
        else if (model.has(name)) {
          set.delete(name);
          model.delete(name);
        } else {
          set.add(name, step);
          model.add(name);
        }
        expect(set.size).toBe(model.size);
      }
      expect(set.sortedNames()).toEqual([...model].sort());
    }
  });

  it('refuses a duplicate add and the delete of an absent name', () => {
    const set = new ChildSet<number>();
    set.add('a', 0);
    expect(() => set.add('a', 1)).toThrow(/already present/);
    expect(() => set.delete('b')).toThrow(/not present/);
  });

  it('upperBound finds the first name after the given one', () => {
    const names = ['a', 'b', 'd'];
    expect(upperBound(names, '')).toBe(0);
    expect(upperBound(names, 'b')).toBe(2);
    expect(upperBound(names, 'c')).toBe(2);
    expect(upperBound(names, 'z')).toBe(3);
  });
});
