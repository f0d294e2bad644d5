// What the image can run: the workspaces' bins (from their package.json) and, for the three
// server roles, the option schemas their entry points parse. The deploy tests check compose and
// Kubernetes files against these, so a renamed flag or variable fails here, not in a cluster.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OptionSchema } from '@ensemble/common';
import { COORD_OPTIONS } from '../../../../services/coordination/src/config';
import { AGENT_OPTIONS } from '../../../../services/resource-manager/src/agent/config';
import { MASTER_OPTIONS } from '../../../../services/resource-manager/src/master/config';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');

export type RoleName = 'coord-server' | 'rm-master' | 'rm-agent';

export interface Role {
  name: RoleName;
  options: OptionSchema;
  /** The gRPC port option and the admin HTTP port option of the role. */
  grpcPortOption: string;
  adminPortOption: string;
}

export const ROLES: Record<RoleName, Role> = {
  'coord-server': { name: 'coord-server', options: COORD_OPTIONS, grpcPortOption: 'port', adminPortOption: 'admin-port' },
  'rm-master': { name: 'rm-master', options: MASTER_OPTIONS, grpcPortOption: 'port', adminPortOption: 'admin-port' },
  'rm-agent': { name: 'rm-agent', options: AGENT_OPTIONS, grpcPortOption: 'port', adminPortOption: 'admin-port' },
};

/** The coordination server's client port when neither --port nor --servers says otherwise. */
export const COORD_DEFAULT_CLIENT_PORT = 2181;

/**
 * Variables every process reads besides its role's options: the shared logger's
 * (packages/common/src/logger.ts) and Node's own.
 */
export const PROCESS_ENV = ['LOG_LEVEL', 'LOG_FORMAT', 'NODE_ENV', 'PATH'];

export interface Bin {
  name: string;
  workspace: string;
  /** The script, relative to the repository root. */
  script: string;
}

/** Every bin of every workspace package, by name. */
export function workspaceBins(root = REPO_ROOT): Map<string, Bin> {
  const bins = new Map<string, Bin>();
  for (const group of ['packages', 'services']) {
    for (const dir of fs.readdirSync(path.join(root, group))) {
      const manifest = path.join(root, group, dir, 'package.json');
      if (!fs.existsSync(manifest)) continue;
      const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { bin?: Record<string, string> };
      for (const [name, script] of Object.entries(pkg.bin ?? {})) {
        bins.set(name, { name, workspace: `${group}/${dir}`, script: path.posix.join(group, dir, script) });
      }
    }
  }
  return bins;
}

/** The command line a container runs, reduced to the program and its arguments. */
export interface Invocation {
  program: string;
  args: string[];
}

/**
 * What a container command runs: past the init (`tini -s --`), through `sh -c '... exec prog
 * args'` (the script's `exec` line), and `node <script>` mapped back to its bin.
 */
export function invocationOf(argv: readonly string[], bins: Map<string, Bin>): Invocation {
  let words = [...argv];
  if (words[0] === 'tini') words = words.slice(words.indexOf('--') + 1);
  if (words[0] === 'sh' && words[1] === '-c') {
    const execLine = words[2].split('\n').map((l) => l.trim()).find((l) => l.startsWith('exec '));
    if (!execLine) throw new Error(`shell command without an exec line: ${words[2]}`);
    if (/["'$`\\]/.test(execLine)) throw new Error(`exec line too clever to read: ${execLine}`);
    words = execLine.split(/\s+/).slice(1);
  }
  if (words[0] === 'node') {
    const script = path.posix.normalize(words[1]).replace(/^\/app\//, '');
    const bin = [...bins.values()].find((b) => b.script === script);
    return { program: bin?.name ?? script, args: words.slice(2) };
  }
  return { program: words[0], args: words.slice(1) };
}

export function roleOf(program: string): Role | undefined {
  return (ROLES as Record<string, Role | undefined>)[program];
}
