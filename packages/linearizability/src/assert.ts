// Bugs crash loudly (STYLE.md, errors of the first kind): a malformed history or a broken
// search invariant must never turn into a verdict.

export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

/** A function message is built only on failure, for checks on hot paths. */
export function assert(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new AssertionError(typeof message === 'string' ? message : message());
}
