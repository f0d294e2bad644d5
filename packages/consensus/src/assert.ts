// Bugs crash loudly (STYLE.md, errors of the first kind): a broken invariant of the replicated
// log must never be carried on into persisted or applied state.

export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}
