import type { ZnodeInput, ZnodeOutput, ZnodeState } from '../../src/history';
import { ABSENT, createZnodeModel, znodeModel } from '../../src/znode-model';
import { zi, zo } from './support/ops';

const node = (data: string, version: number): ZnodeState => ({ exists: true, data, version });
const step = (s: ZnodeState, input: ZnodeInput, output: ZnodeOutput | null): readonly ZnodeState[] => znodeModel.step(s, input, output);

describe('znode model (ZooKeeper data tree semantics on one path)', () => {
  test('create starts at version 0; a second create fails with NODE_EXISTS', () => {
    expect(step(ABSENT, zi.create('x'), zo.ok({ version: 0 }))).toEqual([node('x', 0)]);
    expect(step(node('x', 3), zi.create('y'), zo.fail('NODE_EXISTS'))).toEqual([node('x', 3)]);
    expect(step(node('x', 3), zi.create('y'), zo.ok())).toEqual([]);
  });

  test('set bumps the version and checks the expected one; -1 matches any', () => {
    expect(step(node('x', 2), zi.set('y', 2), zo.ok({ version: 3 }))).toEqual([node('y', 3)]);
    expect(step(node('x', 2), zi.set('y', -1), zo.ok({ version: 3 }))).toEqual([node('y', 3)]);
    expect(step(node('x', 2), zi.set('y', 1), zo.fail('BAD_VERSION'))).toEqual([node('x', 2)]);
    expect(step(node('x', 2), zi.set('y', 1), zo.ok())).toEqual([]);
    expect(step(node('x', 2), zi.set('y', 2), zo.ok({ version: 2 }))).toEqual([]);
    expect(step(ABSENT, zi.set('y', -1), zo.fail('NO_NODE'))).toEqual([ABSENT]);
  });

  test('delete checks the version; NOT_EMPTY leaves the node', () => {
    expect(step(node('x', 2), zi.delete(2), zo.ok())).toEqual([ABSENT]);
    expect(step(node('x', 2), zi.delete(0), zo.fail('BAD_VERSION'))).toEqual([node('x', 2)]);
    expect(step(node('x', 2), zi.delete(2), zo.fail('NOT_EMPTY'))).toEqual([node('x', 2)]);
    expect(step(node('x', 2), zi.delete(0), zo.fail('NOT_EMPTY'))).toEqual([]); // version is checked first
    expect(step(ABSENT, zi.delete(-1), zo.fail('NO_NODE'))).toEqual([ABSENT]);
  });

  test('reads check only the fields the client recorded', () => {
    expect(step(node('x', 2), zi.get(), zo.ok({ data: 'x', version: 2 }))).toHaveLength(1);
    expect(step(node('x', 2), zi.get(), zo.ok({ data: 'x' }))).toHaveLength(1);
    expect(step(node('x', 2), zi.get(), zo.ok({ version: 1 }))).toEqual([]);
    expect(step(ABSENT, zi.get(), zo.fail('NO_NODE'))).toEqual([ABSENT]);
    expect(step(node('x', 2), zi.exists(), zo.ok({ exists: true, version: 2 }))).toHaveLength(1);
    expect(step(ABSENT, zi.exists(), zo.ok({ exists: false }))).toEqual([ABSENT]);
    expect(step(ABSENT, zi.exists(), zo.fail('NO_NODE'))).toEqual([ABSENT]);
    expect(step(node('x', 2), zi.exists(), zo.ok({ exists: false }))).toEqual([]);
  });

  test('an unknown outcome takes the real effect when it is linearized', () => {
    expect(step(node('x', 2), zi.set('y', 2), null)).toEqual([node('y', 3)]);
    expect(step(node('x', 2), zi.set('y', 1), null)).toEqual([node('x', 2)]); // it would have failed
    expect(step(ABSENT, zi.create('x'), null)).toEqual([node('x', 0)]);
  });

  test('absent states are equal whatever they held; present ones by data and version', () => {
    const { equal, hash } = znodeModel;
    expect(equal(ABSENT, { exists: false, data: 'junk', version: 9 })).toBe(true);
    expect(equal(node('x', 1), node('x', 1))).toBe(true);
    expect(equal(node('x', 1), node('x', 2))).toBe(false);
    expect(equal(node('x', 1), node('y', 1))).toBe(false);
    expect(hash(node('x', 1))).toBe(hash(node('x', 1)));
    expect(hash(node('x', 1))).not.toBe(hash(node('x', 2)));
  });

  test('initial states apply to their keys only', () => {
    const model = createZnodeModel({ initialStates: { '/a': node('x', 4) } });
    expect(model.init('/a')).toEqual(node('x', 4));
    expect(model.init('/b')).toEqual(ABSENT);
  });

  test('reads and failed writes change nothing; successful and unknown writes may', () => {
    expect(znodeModel.changesNothing(zi.get(), null)).toBe(true);
    expect(znodeModel.changesNothing(zi.set('x'), zo.fail('BAD_VERSION'))).toBe(true);
    expect(znodeModel.changesNothing(zi.set('x'), zo.ok())).toBe(false);
    expect(znodeModel.changesNothing(zi.delete(), null)).toBe(false);
  });
});
