import * as grpc from '@grpc/grpc-js';
import { domainError, isServiceError, readDomainCode } from '@ensemble/common';

describe('domainError', () => {
  it('builds a ServiceError with the status, details and the domain code in metadata', () => {
    const err = domainError({ status: grpc.status.ABORTED, code: 'BAD_VERSION', message: 'version 3 != 4', metadataKey: 'coord-error', extra: { 'coord-path': '/a' } });
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: grpc.status.ABORTED, details: 'version 3 != 4', message: 'version 3 != 4' });
    expect(err.metadata.get('coord-error')).toEqual(['BAD_VERSION']);
    expect(err.metadata.get('coord-path')).toEqual(['/a']);
    expect(isServiceError(err)).toBe(true);
    expect(readDomainCode(err, 'coord-error')).toBe('BAD_VERSION');
  });

  it('refuses metadata keys the transport would mangle or reserve', () => {
    const spec = { status: grpc.status.INTERNAL, code: 'X', message: 'x' };
    expect(() => domainError({ ...spec, metadataKey: 'Coord-Error' })).toThrow(/not a usable/);
    expect(() => domainError({ ...spec, metadataKey: 'coord-error-bin' })).toThrow(/not a usable/);
    expect(() => domainError({ ...spec, metadataKey: 'grpc-status' })).toThrow(/not a usable/);
  });

  it('reads no code from errors without trailers', () => {
    expect(readDomainCode(new Error('plain'), 'coord-error')).toBeUndefined();
    expect(readDomainCode(null, 'coord-error')).toBeUndefined();
    expect(isServiceError(new Error('plain'))).toBe(false);
  });
});
