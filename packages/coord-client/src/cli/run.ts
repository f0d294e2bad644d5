// coordctl: runs one parsed command against the service and reports the outcome as an exit code.
import { CoordClient } from '../client';
import { CoordError } from '../errors';
import { joinPath } from '../path';
import { parseArgs, USAGE, type Command, type Invocation } from './args';
import { formatEvent, formatStat, formatTree, type TreeNode } from './format';

/** Nodes `tree` and `rm -r` walk before they refuse. */
export const CLI_SUBTREE_MAX_NODES = 100_000;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Resolves when the user interrupts (SIGINT/SIGTERM); for `watch`. */
  interrupted: Promise<void>;
}

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

export async function runCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: CliIo): Promise<number> {
  const parsed = parseArgs(argv, env);
  if (!parsed.ok) {
    io.err(`coordctl: ${parsed.error}\nRun 'coordctl --help' for usage.`);
    return EXIT_USAGE;
  }
  const inv = parsed.invocation;
  if (inv.command.name === 'help') {
    io.out(USAGE);
    return EXIT_OK;
  }
  let client: CoordClient | null = null;
  try {
    client = await CoordClient.connect(inv.server, { connectTimeoutMs: inv.timeoutMs });
    await execute(client, inv, inv.command, io);
    return EXIT_OK;
  } catch (err) {
    reportError(err, inv, io);
    return EXIT_ERROR;
  } finally {
    await client?.close();
  }
}

function reportError(err: unknown, inv: Invocation, io: CliIo): void {
  if (err instanceof CoordError || (typeof err === 'object' && err !== null && 'zkName' in err)) {
    const e = err as CoordError;
    // zkCli's form, "Error: NoNode: /missing"; the server's explanation only where no path says it.
    io.err(`Error: ${e.path !== undefined ? `${e.zkName}: ${e.path}` : e.message}`);
    if (inv.json) io.err(JSON.stringify({ error: e.zkName, code: e.code, path: e.path ?? null, detail: e.detail ?? null }));
  } else {
    io.err(`Error: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function execute(client: CoordClient, inv: Invocation, cmd: Command, io: CliIo): Promise<void> {
  const print = (human: string | null, json: unknown): void => {
    if (inv.json) io.out(JSON.stringify(json));
    else if (human !== null) io.out(human);
  };
  switch (cmd.name) {
    case 'create': {
      const { path, stat } = await client.createWithStat(cmd.path, cmd.data, { mode: cmd.mode, ttlMs: cmd.ttlMs });
      return print(`Created ${path}`, { path, stat });
    }
    case 'get': {
      const { data, stat } = await client.getData(cmd.path);
      return print(data.toString('utf8'), { path: cmd.path, data: data.toString('utf8'), dataBase64: data.toString('base64'), stat });
    }
    case 'set': {
      const stat = await client.setData(cmd.path, cmd.data, cmd.version);
      return print(null, { path: cmd.path, stat });
    }
    case 'stat': {
      const stat = await client.exists(cmd.path);
      if (!stat) throw new CoordError('NO_NODE', { path: cmd.path });
      return print(formatStat(stat), { path: cmd.path, stat });
    }
    case 'ls': {
      const children = await client.getAllChildren(cmd.path);
      return print(children.join('\n'), { path: cmd.path, children });
    }
    case 'rm': {
      const deleted = cmd.recursive ? await deleteSubtree(client, cmd.path, cmd.version) : [cmd.path];
      if (!cmd.recursive) await client.delete(cmd.path, cmd.version);
      return print(null, { deleted });
    }
    case 'sync':
      await client.sync(cmd.path);
      return print('Sync is OK', { path: cmd.path, synced: true });
    case 'tree': {
      const tree = await loadTree(client, cmd.path);
      return print(formatTree(tree), tree);
    }
    case 'watch':
      return watch(client, inv, cmd, io);
    case 'help':
      return;
  }
}

async function watch(client: CoordClient, inv: Invocation, cmd: { path: string; recursive: boolean }, io: CliIo): Promise<void> {
  const events = client.watchEvents(cmd.path, { recursive: cmd.recursive });
  await events.ready;
  io.err(`watching ${cmd.path}${cmd.recursive ? ' and below' : ''} (Ctrl-C to stop)`);
  void io.interrupted.then(() => events.close());
  for await (const event of events) {
    io.out(inv.json ? JSON.stringify({ type: event.type, path: event.path, zxid: event.zxid }) : formatEvent(event));
  }
}

/** Breadth-first walk of a subtree (bounded), root first. */
async function walk(client: CoordClient, root: string): Promise<Map<string, string[]>> {
  const children = new Map<string, string[]>();
  let level = [root];
  while (level.length > 0) {
    const lists = await Promise.all(level.map((p) => client.getAllChildren(p)));
    const next: string[] = [];
    level.forEach((p, i) => {
      const names = lists[i].slice().sort();
      children.set(p, names);
      next.push(...names.map((n) => joinPath(p, n)));
    });
    if (children.size + next.length > CLI_SUBTREE_MAX_NODES) {
      throw new CoordError('TOO_LARGE', { path: root, detail: `more than ${CLI_SUBTREE_MAX_NODES} nodes` });
    }
    level = next;
  }
  return children;
}

async function loadTree(client: CoordClient, root: string): Promise<TreeNode> {
  const children = await walk(client, root);
  const build = (path: string): TreeNode => ({ path, children: (children.get(path) ?? []).map((n) => build(joinPath(path, n))) });
  return build(root);
}

/** Deletes a subtree, deepest nodes first; the version applies to the root only. */
async function deleteSubtree(client: CoordClient, root: string, version: number): Promise<string[]> {
  const paths = [...(await walk(client, root)).keys()].sort((a, b) => b.split('/').length - a.split('/').length);
  for (const path of paths) await client.delete(path, path === root ? version : -1);
  return paths;
}
