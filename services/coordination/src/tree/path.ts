// Znode paths: validation and the few string operations the tree needs.
// ZooKeeper: org.apache.zookeeper.common.PathUtils.validatePath, rule for rule.

export interface PathOptions {
  /** A sequential create's path is a prefix: the 10-digit suffix is appended at apply time. */
  sequential?: boolean;
}

/**
 * Why `path` is not a valid znode path, or null when it is.
 * ZooKeeper validates a sequential create's prefix as `path + "1"`, so a trailing '/' is
 * allowed there ('/queue/' + '0000000007').
 */
export function explainInvalidPath(path: string, options: PathOptions = {}): string | null {
  const full = options.sequential === true ? `${path}1` : path;
  if (full.length === 0) return 'path must not be empty';
  if (full.charCodeAt(0) !== 0x2f) return 'path must start with /';
  if (full.length === 1) return null; // the root
  if (full.charCodeAt(full.length - 1) === 0x2f) return 'path must not end with /';
  let segmentStart = 1;
  for (let i = 1; i <= full.length; i++) {
    const c = i < full.length ? full.charCodeAt(i) : 0x2f;
    if (c === 0x2f) {
      const reason = explainInvalidSegment(full, segmentStart, i);
      if (reason !== null) return reason;
      segmentStart = i + 1;
    } else if (isForbiddenChar(c)) {
      return `invalid character U+${c.toString(16).padStart(4, '0').toUpperCase()} at ${i}`;
    }
  }
  return null;
}

/** INVALID_PATH when `path` is not a valid znode path, else null. */
export function validatePath(path: string, options: PathOptions = {}): 'INVALID_PATH' | null {
  return explainInvalidPath(path, options) === null ? null : 'INVALID_PATH';
}

function explainInvalidSegment(path: string, start: number, end: number): string | null {
  if (end === start) return `empty node name at ${start}`;
  const segment = path.slice(start, end);
  if (segment === '.' || segment === '..') return `relative paths not allowed at ${start}`;
  return null;
}

// ZooKeeper: NUL and U+0001–U+001F, U+007F–U+009F, U+D800–U+F8FF (surrogates and private use)
// and U+FFF0–U+FFFF. Checked per UTF-16 code unit, as Java does, so any character outside the
// BMP (a surrogate pair) is rejected too.
function isForbiddenChar(c: number): boolean {
  return c <= 0x1f || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0;
}

/** The parent of `path` ('/a/b' → '/a', '/a' → '/'). For a sequential prefix '/q/' it is '/q'. The root's parent is '/'. */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

/** The last segment of `path` ('/a/b' → 'b'); '' for the root. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** True when `ancestor` is `path` or one of its ancestors (segment-wise, so '/a' is not an ancestor of '/ab'). */
export function isAncestorOrSelf(ancestor: string, path: string): boolean {
  if (ancestor === path) return true;
  if (ancestor === '/') return path.startsWith('/');
  return path.startsWith(ancestor) && path.charCodeAt(ancestor.length) === 0x2f;
}

/** `parent` + '/' + `name`, without doubling the root's slash. */
export function joinPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}
