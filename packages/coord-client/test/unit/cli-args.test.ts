import { DEFAULT_SERVER, DEFAULT_TIMEOUT_MS, parseArgs, type Command } from '../../src/cli/args';

function command(argv: string[], env: Record<string, string> = {}): Command {
  const parsed = parseArgs(argv, env);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.invocation.command;
}

function usageError(argv: string[]): string {
  const parsed = parseArgs(argv, {});
  if (parsed.ok) throw new Error(`expected a usage error for ${argv.join(' ')}`);
  return parsed.error;
}

describe('coordctl arguments', () => {
  it('takes the server from --server, then $COORD_SERVER, then the default', () => {
    const inv = (argv: string[], env: Record<string, string>) => {
      const p = parseArgs(argv, env);
      if (!p.ok) throw new Error(p.error);
      return p.invocation;
    };
    expect(inv(['get', '/a'], {}).server).toBe(DEFAULT_SERVER);
    expect(inv(['get', '/a'], { COORD_SERVER: 'h:1' }).server).toBe('h:1');
    expect(inv(['--server', 'x:1,y:2', 'get', '/a'], { COORD_SERVER: 'h:1' }).server).toBe('x:1,y:2');
    expect(inv(['--server=x:1', 'get', '/a'], {}).server).toBe('x:1');
    expect(inv(['get', '/a', '--json'], {})).toMatchObject({ json: true, timeoutMs: DEFAULT_TIMEOUT_MS });
    expect(inv(['--timeout', '250', 'ls', '/'], {}).timeoutMs).toBe(250);
  });

  it('maps create flags to modes', () => {
    expect(command(['create', '/a', 'x'])).toEqual({ name: 'create', path: '/a', data: 'x', mode: 'PERSISTENT' });
    expect(command(['create', '-e', '/a'])).toEqual({ name: 'create', path: '/a', mode: 'EPHEMERAL' });
    expect(command(['create', '-s', '/a'])).toMatchObject({ mode: 'PERSISTENT_SEQUENTIAL' });
    expect(command(['create', '-e', '-s', '/a'])).toMatchObject({ mode: 'EPHEMERAL_SEQUENTIAL' });
    expect(command(['create', '-es', '/a'])).toMatchObject({ mode: 'EPHEMERAL_SEQUENTIAL' });
    expect(command(['create', '-c', '/a'])).toMatchObject({ mode: 'CONTAINER' });
    expect(command(['create', '--ttl', '500', '/a'])).toMatchObject({ mode: 'PERSISTENT_WITH_TTL', ttlMs: 500 });
    expect(command(['create', '-s', '--ttl=500', '/a'])).toMatchObject({ mode: 'PERSISTENT_SEQUENTIAL_WITH_TTL', ttlMs: 500 });
  });

  it('parses versions and recursion', () => {
    expect(command(['set', '-v', '3', '/a', 'data'])).toEqual({ name: 'set', path: '/a', data: 'data', version: 3 });
    expect(command(['set', '/a', 'data'])).toMatchObject({ version: -1 });
    expect(command(['rm', '-r', '-v', '2', '/a'])).toEqual({ name: 'rm', path: '/a', version: 2, recursive: true });
    expect(command(['rm', '/a'])).toEqual({ name: 'rm', path: '/a', version: -1, recursive: false });
    expect(command(['watch', '--recursive', '/a'])).toEqual({ name: 'watch', path: '/a', recursive: true });
    expect(command(['watch', '/a'])).toEqual({ name: 'watch', path: '/a', recursive: false });
    expect(command(['set', '/a', '--', '-5'])).toMatchObject({ data: '-5' });
  });

  it('treats the read commands alike', () => {
    for (const name of ['get', 'stat', 'ls', 'sync', 'tree'] as const) expect(command([name, '/x'])).toEqual({ name, path: '/x' });
  });

  it('asks for help with --help, -h or help', () => {
    expect(command(['--help'])).toEqual({ name: 'help' });
    expect(command(['get', '-h'])).toEqual({ name: 'help' });
    expect(command(['help'])).toEqual({ name: 'help' });
  });

  it.each([
    [[], 'missing command'],
    [['frobnicate', '/a'], 'unknown command'],
    [['get'], 'needs a path'],
    [['get', '/a', '/b'], 'too many arguments'],
    [['set', '/a'], 'needs data'],
    [['set', '-v', 'x', '/a', 'd'], 'bad version'],
    [['set', '-v'], 'needs a value'],
    [['get', '-e', '/a'], 'unknown option -e'],
    [['create', '-c', '-e', '/a'], 'cannot be combined'],
    [['create', '-e', '--ttl', '5', '/a'], '--ttl cannot be used with -e'],
    [['create', '--ttl', '0', '/a'], 'positive'],
    [['--timeout', 'soon', 'get', '/a'], '--timeout'],
  ])('rejects %j', (argv, message) => {
    expect(usageError(argv)).toContain(message);
  });
});
