// Znode path rules, checked on the client so a bad path fails fast without a round trip.
// ZooKeeper: PathUtils.validatePath — the server applies the same rules.

export type PathCheck = { ok: true } | { ok: false; reason: string };

/** Digits ZooKeeper appends to a sequential node's name (10, zero-padded). */
export const SEQUENCE_DIGITS = 10;

/**
 * Checks a znode path: absolute, no trailing '/', no empty, '.' or '..' segments, no control or
 * unassigned characters. For a sequential create the server appends the sequence number, so the
 * path may end in '/' (ZooKeeper validates `path + "1"` in that case).
 */
export function checkPath(path: string, opts: { sequential?: boolean } = {}): PathCheck {
  if (typeof path !== 'string' || path.length === 0) return { ok: false, reason: 'path must not be empty' };
  const full = opts.sequential ? `${path}1` : path;
  if (full[0] !== '/') return { ok: false, reason: 'path must start with /' };
  if (full.length === 1) return { ok: true };
  if (full.endsWith('/')) return { ok: false, reason: 'path must not end with /' };
  const badChar = findInvalidChar(full);
  if (badChar >= 0) return { ok: false, reason: `invalid character at index ${badChar}` };
  const segments = full.slice(1).split('/');
  for (const segment of segments) {
    if (segment.length === 0) return { ok: false, reason: 'empty node name' };
    if (segment === '.' || segment === '..') return { ok: false, reason: 'relative paths not allowed' };
  }
  return { ok: true };
}

// ZooKeeper: PathUtils rejects \u0000-\u001f, \u007f-\u009f, \ud800-\uf8ff and \ufff0-\uffff.
function findInvalidChar(path: string): number {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0) return i;
  }
  return -1;
}

/** The parent of a valid path; '/' for top-level nodes and for '/' itself. */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** The last segment of a path ('' for '/'). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Joins a parent path and a child name. */
export function joinPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}

/** The ancestors of a path from the root down, excluding the path itself: '/a/b/c' → ['/', '/a', '/a/b']. */
export function ancestors(path: string): string[] {
  if (path === '/') return [];
  const out = ['/'];
  let i = path.indexOf('/', 1);
  while (i > 0) {
    out.push(path.slice(0, i));
    i = path.indexOf('/', i + 1);
  }
  return out;
}

/** True when `path` is `root` or below it. */
export function isUnder(path: string, root: string): boolean {
  return root === '/' || path === root || path.startsWith(`${root}/`);
}

/** The sequence number a sequential create appended to a name, or null when there is none. */
export function sequenceOf(name: string): number | null {
  if (name.length < SEQUENCE_DIGITS) return null;
  const digits = name.slice(-SEQUENCE_DIGITS);
  return /^\d+$/.test(digits) ? Number(digits) : null;
}
