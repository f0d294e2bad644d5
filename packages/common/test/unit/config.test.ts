import { ConfigError, type HostPort, defineOptions, formatHelp, listEnvVars, listFlags, parseConfig } from '@ensemble/common';

const schema = defineOptions([
  { name: 'client-port', env: 'COORD_CLIENT_PORT', type: 'int', default: 2181, min: 0, max: 65535, description: 'client gRPC port' },
  { name: 'data-dir', env: 'COORD_DATA_DIR', type: 'string', required: true, description: 'where snapshots live' },
  { name: 'tick', env: 'COORD_TICK', type: 'duration', default: '2s', min: 10, description: 'tick length' },
  { name: 'max-request', env: 'COORD_MAX_REQUEST', type: 'bytes', default: '1MiB', max: 64 * 1024 * 1024, description: 'largest request' },
  { name: 'verbose', env: 'COORD_VERBOSE', type: 'bool', description: 'chatty logs' },
  { name: 'peers', env: 'COORD_PEERS', type: 'list', default: [], max: 7, description: 'peer addresses' },
  { name: 'listen', env: 'COORD_LISTEN', type: 'hostport', default: '0.0.0.0:2181', description: 'listen address' },
  { name: 'role', env: 'RM_ROLE', type: 'enum', choices: ['master', 'agent'], default: 'master', description: 'process role' },
  { name: 'node-id', env: 'COORD_NODE_ID', type: 'string', description: 'this server id' },
]);

const base = ['--data-dir', '/var/lib/coord'];

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('applies defaults and returns camelCase typed fields', () => {
    const cfg = parseConfig(schema, base, {});
    expect(cfg).toEqual({
      help: false,
      clientPort: 2181,
      dataDir: '/var/lib/coord',
      tick: 2000,
      maxRequest: 1024 * 1024,
      verbose: false,
      peers: [],
      listen: { host: '0.0.0.0', port: 2181 },
      role: 'master',
      nodeId: undefined,
    });
  });

  it('types each field from its option spec', () => {
    const cfg = parseConfig(schema, base, {});
    const port: number = cfg.clientPort;
    const role: 'master' | 'agent' = cfg.role;
    const listen: HostPort = cfg.listen;
    const verbose: boolean = cfg.verbose;
    // @ts-expect-error an optional option without a default may be absent
    const nodeId: string = cfg.nodeId;
    expect([port, role, listen.port, verbose, nodeId]).toEqual([2181, 'master', 2181, false, undefined]);
  });

  it('takes a flag over an env var over the default', () => {
    const env = { COORD_CLIENT_PORT: '3000', COORD_DATA_DIR: '/env' };
    expect(parseConfig(schema, [], env).clientPort).toBe(3000);
    expect(parseConfig(schema, ['--client-port', '4000'], env).clientPort).toBe(4000);
    expect(parseConfig(schema, [], env).dataDir).toBe('/env');
  });

  it('treats an empty env var as unset', () => {
    expect(parseConfig(schema, base, { COORD_CLIENT_PORT: '' }).clientPort).toBe(2181);
  });

  it('accepts --name=value and --name value', () => {
    expect(parseConfig(schema, [...base, '--client-port=5000']).clientPort).toBe(5000);
    expect(parseConfig(schema, ['--data-dir=/a=b']).dataDir).toBe('/a=b');
  });

  it('reads bools as --flag, --no-flag, --flag=false and env words', () => {
    expect(parseConfig(schema, [...base, '--verbose'], {}).verbose).toBe(true);
    expect(parseConfig(schema, [...base, '--no-verbose'], { COORD_VERBOSE: 'true' }).verbose).toBe(false);
    expect(parseConfig(schema, [...base, '--verbose=false'], {}).verbose).toBe(false);
    expect(parseConfig(schema, base, { COORD_VERBOSE: 'yes' }).verbose).toBe(true);
    expect(parseConfig(schema, base, { COORD_VERBOSE: '0' }).verbose).toBe(false);
  });

  it('parses durations with units and plain milliseconds', () => {
    const tick = (v: string) => parseConfig(schema, [...base, '--tick', v]).tick;
    expect(tick('500ms')).toBe(500);
    expect(tick('10s')).toBe(10_000);
    expect(tick('2m')).toBe(120_000);
    expect(tick('1h')).toBe(3_600_000);
    expect(tick('1.5s')).toBe(1500);
    expect(tick('250')).toBe(250);
  });

  it('parses sizes in IEC units, decimal units and plain bytes', () => {
    const size = (v: string) => parseConfig(schema, [...base, '--max-request', v]).maxRequest;
    expect(size('64MiB')).toBe(64 * 1024 * 1024);
    expect(size('1KiB')).toBe(1024);
    expect(size('512')).toBe(512);
    expect(size('10MB')).toBe(10_000_000);
  });

  it('parses lists, accumulating repeated flags', () => {
    expect(parseConfig(schema, [...base, '--peers', 'a:1, b:2,,']).peers).toEqual(['a:1', 'b:2']);
    expect(parseConfig(schema, [...base, '--peers', 'a:1', '--peers=b:2']).peers).toEqual(['a:1', 'b:2']);
    expect(parseConfig(schema, base, { COORD_PEERS: 'x:1,y:2' }).peers).toEqual(['x:1', 'y:2']);
  });

  it('parses host:port including bracketed IPv6', () => {
    expect(parseConfig(schema, [...base, '--listen', '127.0.0.1:0']).listen).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseConfig(schema, [...base, '--listen', '[::1]:2181']).listen).toEqual({ host: '::1', port: 2181 });
    expect(parseConfig(schema, [...base, '--listen', 'coord-0.coord:2888']).listen).toEqual({ host: 'coord-0.coord', port: 2888 });
  });

  it('accepts an enum choice', () => {
    expect(parseConfig(schema, [...base, '--role', 'agent']).role).toBe('agent');
  });

  it('returns help without requiring required options', () => {
    const cfg = parseConfig(schema, ['--help'], {});
    expect(cfg.help).toBe(true);
    expect(cfg.dataDir).toBeUndefined();
  });
});

describe('parseConfig errors', () => {
  const cases: Array<[string, string[], Record<string, string>, string]> = [
    ['not an integer', ['--client-port', 'abc'], {}, "--client-port (COORD_CLIENT_PORT): 'abc' is not an integer"],
    ['bad integer from env', [], { COORD_CLIENT_PORT: '12x' }, "--client-port (COORD_CLIENT_PORT): '12x' is not an integer"],
    ['above max', ['--client-port', '70000'], {}, "--client-port (COORD_CLIENT_PORT): '70000' is above the maximum 65535"],
    ['below min', ['--client-port', '-1'], {}, "--client-port (COORD_CLIENT_PORT): '-1' is below the minimum 0"],
    ['bad duration', ['--tick', '5 parsecs'], {}, "--tick (COORD_TICK): '5 parsecs' is not a duration"],
    ['duration below min', ['--tick', '5ms'], {}, "--tick (COORD_TICK): '5ms' is below the minimum 10ms"],
    ['bad size', ['--max-request', '12XB'], {}, "--max-request (COORD_MAX_REQUEST): '12XB' is not a size"],
    ['size above max', ['--max-request', '1GiB'], {}, "--max-request (COORD_MAX_REQUEST): '1GiB' is above the maximum 67108864 bytes"],
    ['bad bool', [], { COORD_VERBOSE: 'maybe' }, "--verbose (COORD_VERBOSE): 'maybe' is not a boolean"],
    ['too many list entries', ['--peers', '1,2,3,4,5,6,7,8'], {}, "--peers (COORD_PEERS): '1,2,3,4,5,6,7,8' has more than 7 entries"],
    ['bad host:port', ['--listen', 'localhost'], {}, "--listen (COORD_LISTEN): 'localhost' is not host:port"],
    ['port out of range', ['--listen', 'h:99999'], {}, "--listen (COORD_LISTEN): 'h:99999' is not host:port"],
    ['bad enum', ['--role', 'boss'], {}, "--role (RM_ROLE): 'boss' is not one of master, agent"],
    ['missing value', ['--client-port'], {}, '--client-port (COORD_CLIENT_PORT): needs a value'],
    ['flag as value', ['--client-port', '--verbose'], {}, '--client-port (COORD_CLIENT_PORT): needs a value'],
    ['negating a non-bool', ['--no-client-port'], {}, '--client-port (COORD_CLIENT_PORT): is not a boolean option'],
    ['positional argument', ['stray'], {}, "unexpected argument 'stray'"],
  ];
  it.each(cases)('%s', (_name, argv, env, message) => {
    const err = errorOf(() => parseConfig(schema, [...base, ...argv], env));
    expect(err.message).toContain(message);
  });

  it('names the flag, env var and value on the error', () => {
    const err = errorOf(() => parseConfig(schema, [...base, '--client-port', 'abc'], {}));
    expect(err).toMatchObject({ name: 'ConfigError', flag: '--client-port', env: 'COORD_CLIENT_PORT', value: 'abc' });
  });

  it('reports a missing required option with both ways to set it', () => {
    expect(errorOf(() => parseConfig(schema, [], {})).message).toBe('--data-dir (COORD_DATA_DIR): is required (set --data-dir or COORD_DATA_DIR)');
  });

  it('rejects unknown flags and suggests a near miss', () => {
    expect(errorOf(() => parseConfig(schema, [...base, '--client-prot', '1'])).message).toBe('unknown option --client-prot (did you mean --client-port?)');
    expect(errorOf(() => parseConfig(schema, [...base, '--verbos'])).message).toContain('did you mean --verbose?');
    expect(errorOf(() => parseConfig(schema, [...base, '--zzzzzz'])).message).toBe('unknown option --zzzzzz');
  });

  it('treats schema mistakes as bugs, not operator errors', () => {
    const bad = [{ name: 'Bad_Name', env: 'X', type: 'string', description: '' }] as const;
    expect(() => parseConfig(bad, [], {})).toThrow(/kebab-case/);
    const twice = [
      { name: 'a', env: 'A', type: 'string', description: '' },
      { name: 'b', env: 'A', type: 'string', description: '' },
    ] as const;
    expect(() => parseConfig(twice, [], {})).toThrow(/declared twice/);
    expect(() => defineOptions([{ name: 'r', env: 'R', type: 'enum', description: '' }])).toThrow(/needs choices/);
  });
});

describe('formatHelp and listings', () => {
  it('renders every flag with its env var, default and description', () => {
    const help = formatHelp(schema, 'coordination server');
    expect(help.startsWith('coordination server\n')).toBe(true);
    expect(help).toMatch(/--client-port <int>\s+client gRPC port \(env COORD_CLIENT_PORT, default 2181, min 0, max 65535\)/);
    expect(help).toContain('--[no-]verbose');
    expect(help).toContain('--role <master|agent>');
    expect(help).toContain('required');
    expect(help).toContain('--help');
  });

  it('lists the accepted flags and env vars', () => {
    expect(listFlags(schema)).toEqual(expect.arrayContaining(['--client-port', '--verbose', '--no-verbose', '--help']));
    expect(listFlags(schema)).not.toContain('--no-client-port');
    expect(listEnvVars(schema)).toEqual([
      'COORD_CLIENT_PORT',
      'COORD_DATA_DIR',
      'COORD_TICK',
      'COORD_MAX_REQUEST',
      'COORD_VERBOSE',
      'COORD_PEERS',
      'COORD_LISTEN',
      'RM_ROLE',
      'COORD_NODE_ID',
    ]);
  });
});
