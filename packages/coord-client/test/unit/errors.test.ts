import { coordV1 } from '@ensemble/proto';
import { CoordError, hasCode, zkErrorName } from '../../src/errors';

describe('zkErrorName', () => {
  it.each([
    ['NO_NODE', 'NoNode'], ['NODE_EXISTS', 'NodeExists'], ['BAD_VERSION', 'BadVersion'], ['NOT_EMPTY', 'NotEmpty'],
    ['NO_CHILDREN_FOR_EPHEMERALS', 'NoChildrenForEphemerals'], ['SESSION_EXPIRED', 'SessionExpired'],
    ['CONNECTION_LOSS', 'ConnectionLoss'], ['INVALID_PATH', 'InvalidPath'], ['NO_AUTH', 'NoAuth'],
    ['INVALID_ACL', 'InvalidACL'], ['API_ERROR', 'APIError'], ['NO_WATCHER', 'NoWatcher'],
    ['OPERATION_TIMEOUT', 'OperationTimeout'], ['RUNTIME_INCONSISTENCY', 'RuntimeInconsistency'],
  ])('%s → %s', (code, name) => {
    expect(zkErrorName(code)).toBe(name);
  });

  it('names every wire error code, each differently', () => {
    const codes = Object.keys(coordV1.ErrorCode);
    const names = codes.map(zkErrorName);
    expect(new Set(names).size).toBe(codes.length);
    for (const name of names) expect(name).toMatch(/^[A-Z][A-Za-z]+$/);
  });

  it('maps an unknown code to SystemError', () => {
    expect(zkErrorName('NOT_A_CODE')).toBe('SystemError');
  });
});

describe('CoordError', () => {
  it('carries the wire code, the ZooKeeper name and a zkCli-like message', () => {
    const err = new CoordError('NO_NODE', { path: '/missing' });
    expect(err.code).toBe('NO_NODE');
    expect(err.zkName).toBe('NoNode');
    expect(err.path).toBe('/missing');
    expect(err.message).toBe('NoNode: /missing');
    expect(new CoordError('BAD_VERSION', { path: '/a', detail: 'expected 3' }).message).toBe('BadVersion: /a (expected 3)');
    expect(new CoordError('CONNECTION_LOSS', { detail: 'gone' }).message).toBe('ConnectionLoss: gone');
  });

  it('keeps the cause', () => {
    const cause = new Error('socket');
    expect(new CoordError('CONNECTION_LOSS', { cause }).cause).toBe(cause);
  });

  it('hasCode tests the code, duck-typed', () => {
    expect(hasCode(new CoordError('NO_NODE'), 'NODE_EXISTS', 'NO_NODE')).toBe(true);
    expect(hasCode({ code: 'NO_NODE' }, 'NO_NODE')).toBe(true);
    expect(hasCode(new Error('x'), 'NO_NODE')).toBe(false);
    expect(hasCode(null, 'NO_NODE')).toBe(false);
  });
});
