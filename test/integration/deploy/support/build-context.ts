// The Docker build context: the repository less what .dockerignore excludes, with Docker's
// matching rules (moby/patternmatcher): patterns are relative to the context root, `*` and `?`
// stay within one path segment, `**` spans any number of them, a pattern that matches a
// directory excludes everything under it, `!` re-includes, and the last matching pattern wins.
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Pattern {
  regex: RegExp;
  exclusion: boolean;
}

const CONTEXT_FILES_MAX = 20_000;

export function readDockerignore(file: string): Pattern[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map(toPattern);
}

function toPattern(line: string): Pattern {
  const exclusion = line.startsWith('!');
  const cleaned = path.posix.normalize((exclusion ? line.slice(1) : line).trim()).replace(/^\/+/, '').replace(/\/+$/, '');
  return { regex: globToRegex(cleaned), exclusion };
}

function globToRegex(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more whole segments; a trailing `**` matches everything below.
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Whether .dockerignore keeps `rel` (a slash-separated path relative to the context root) out. */
export function isExcluded(patterns: readonly Pattern[], rel: string): boolean {
  const parents = rel.split('/').map((_s, i, parts) => parts.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const p of patterns) {
    if (p.exclusion !== excluded) continue; // only a pattern that could flip the answer matters
    if (parents.some((candidate) => p.regex.test(candidate))) excluded = !p.exclusion;
  }
  return excluded;
}

/** Every file of the context, relative to its root, in a stable order. */
export function contextFiles(root: string, patterns: readonly Pattern[]): string[] {
  const out: string[] = [];
  const visit = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      // Docker still walks an excluded directory when a later `!` pattern could re-include part of it.
      const reincludes = patterns.some((p) => p.exclusion);
      if (isExcluded(patterns, child) && !(entry.isDirectory() && reincludes)) continue;
      if (entry.isDirectory()) visit(child);
      else if (!isExcluded(patterns, child)) out.push(child);
      if (out.length > CONTEXT_FILES_MAX) throw new Error(`build context has more than ${CONTEXT_FILES_MAX} files: is .dockerignore missing node_modules?`);
    }
  };
  visit('');
  return out;
}

/** Copies the build context (as `COPY . <dest>` sees it) into dest. */
export function copyContext(root: string, dest: string, patterns: readonly Pattern[]): number {
  const files = contextFiles(root, patterns);
  for (const rel of files) {
    const to = path.join(dest, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(root, rel), to);
    fs.chmodSync(to, fs.statSync(path.join(root, rel)).mode & 0o777);
  }
  return files.length;
}
