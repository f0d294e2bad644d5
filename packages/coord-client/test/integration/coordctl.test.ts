// coordctl end to end: the compiled CLI as a process against a real server.
import { spawn } from 'node:child_process';
import * as readline from 'node:readline';
import { COORDCTL, ClientPool, runNode, startServer, waitFor, type RunResult, type TestServer } from './harness';

let server: TestServer;
const pool = new ClientPool(() => server.connectString);

beforeAll(async () => {
  server = await startServer();
});
afterEach(() => pool.closeAll());
afterAll(() => server?.stop());

function ctl(...args: string[]): Promise<RunResult> {
  return runNode(COORDCTL, ['--server', server.connectString, ...args]);
}

describe('coordctl', () => {
  it('creates, reads, updates, lists and deletes', async () => {
    expect(await ctl('create', '/cli', 'hello')).toMatchObject({ code: 0, stdout: 'Created /cli\n' });
    expect(await ctl('get', '/cli')).toMatchObject({ code: 0, stdout: 'hello\n' });
    expect((await ctl('set', '/cli', 'bye')).code).toBe(0);
    expect((await ctl('get', '/cli')).stdout).toBe('bye\n');
    expect((await ctl('create', '-s', '/cli/n-')).stdout).toBe('Created /cli/n-0000000000\n');
    expect((await ctl('create', '/cli/b')).code).toBe(0);
    expect((await ctl('ls', '/cli')).stdout).toBe('b\nn-0000000000\n');
    const stat = await ctl('stat', '/cli');
    expect(stat.stdout).toContain('dataVersion = 1');
    expect(stat.stdout).toContain('numChildren = 2');
    expect((await ctl('sync', '/cli')).stdout).toBe('Sync is OK\n');
    expect((await ctl('tree', '/cli')).stdout).toBe('/cli\n├── b\n└── n-0000000000\n');
    expect(await ctl('rm', '/cli')).toMatchObject({ code: 1, stderr: 'Error: NotEmpty: /cli\n' });
    expect((await ctl('rm', '-r', '/cli')).code).toBe(0);
    expect((await ctl('get', '/cli')).code).toBe(1);
  });

  it('prints ZooKeeper error names and exits 1 for service errors', async () => {
    expect(await ctl('get', '/missing')).toMatchObject({ code: 1, stdout: '', stderr: 'Error: NoNode: /missing\n' });
    await ctl('create', '/cli-v', 'x');
    expect(await ctl('set', '-v', '5', '/cli-v', 'y')).toMatchObject({ code: 1, stderr: 'Error: BadVersion: /cli-v\n' });
    expect(await ctl('create', '/cli-v')).toMatchObject({ code: 1, stderr: 'Error: NodeExists: /cli-v\n' });
    expect((await ctl('get', 'relative')).stderr).toMatch(/^Error: InvalidPath: relative/);
  });

  it('exits 2 with a usage message for bad usage, and prints help', async () => {
    const bad = await ctl('frobnicate', '/x');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown command');
    expect((await ctl('get')).code).toBe(2);
    const help = await runNode(COORDCTL, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: coordctl');
  });

  it('exits 1 with ConnectionLoss when no server answers', async () => {
    const r = await runNode(COORDCTL, ['--server', '127.0.0.1:1', '--timeout', '300', 'get', '/']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: ConnectionLoss/);
  });

  it('takes the server from COORD_SERVER', async () => {
    const r = await runNode(COORDCTL, ['ls', '/'], { env: { COORD_SERVER: server.connectString } });
    expect(r.code).toBe(0);
  });

  it('prints JSON with --json', async () => {
    await ctl('create', '/cli-json', 'data');
    const get = JSON.parse((await ctl('--json', 'get', '/cli-json')).stdout);
    expect(get).toMatchObject({ path: '/cli-json', data: 'data', dataBase64: Buffer.from('data').toString('base64'), stat: { version: 0 } });
    const ls = JSON.parse((await ctl('ls', '/cli-json', '--json')).stdout);
    expect(ls).toEqual({ path: '/cli-json', children: [] });
    const err = await ctl('--json', 'get', '/nope');
    expect(err.code).toBe(1);
    expect(JSON.parse(err.stderr.split('\n')[1])).toMatchObject({ error: 'NoNode', code: 'NO_NODE', path: '/nope' });
  });

  it('creates an ephemeral node that goes when the command exits', async () => {
    const c = await pool.open();
    expect((await ctl('create', '-e', '/cli-eph')).code).toBe(0);
    expect(await c.exists('/cli-eph')).toBeNull();
  });

  it('watch prints events until interrupted', async () => {
    const c = await pool.open();
    await c.create('/cli-watch', '0');
    const child = spawn(process.execPath, [COORDCTL, '--server', server.connectString, 'watch', '--recursive', '/cli-watch'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    readline.createInterface({ input: child.stdout }).on('line', (l) => lines.push(l));
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await waitFor(() => stderr.includes('watching /cli-watch'), { timeoutMs: 10_000, what: 'watch ready' });
      await c.setData('/cli-watch', '1');
      await c.create('/cli-watch/kid');
      await waitFor(() => lines.length >= 2, { timeoutMs: 5000, what: 'two events printed' });
      expect(lines[0]).toMatch(/^NODE_DATA_CHANGED \/cli-watch zxid=0x[0-9a-f]+$/);
      expect(lines[1]).toMatch(/^NODE_CREATED \/cli-watch\/kid zxid=/);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
