// The Dockerfile's own commands, run outside Docker (no engine here): the build stage installs
// and compiles a copy of the build context, the runtime stage copies what the image copies and
// installs production dependencies only; then each role starts from that tree with the image's
// environment, as the image's commands start it, and its HEALTHCHECK answers SERVING.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { killAllServiceProcesses, startServiceProcess, waitFor, type ServiceProcess } from '@ensemble/common';
import { REDIS_SERVER, startRedis, type RedisHandle } from '../../../services/resource-manager/test/support/redis';
import { healthcheckCommand, imageCommand, last, readDockerfile, stageEnv } from './support/dockerfile';
import { buildStages, hostPath, type BuiltStage } from './support/image-builder';
import { composeArgv, loadCompose } from './support/manifests';
import { REPO_ROOT, invocationOf, workspaceBins } from './support/roles';

const BUILD_TIMEOUT_MS = 600_000;
const RUN_TIMEOUT_MS = 300_000;
const CLI_TIMEOUT_MS = 30_000;

const dockerfile = readDockerfile(path.join(REPO_ROOT, 'Dockerfile'));
const runtimeStage = dockerfile.stages[dockerfile.stages.length - 1];
const image = imageCommand(dockerfile);
const bins = workspaceBins();
const compose = loadCompose();

let outDir = '';
let runtime: BuiltStage;
let app = '';
let redis: RedisHandle | undefined;
const started: ServiceProcess[] = [];

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sh(command: string, env: Record<string, string>): Promise<Result> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', command], { env: { ...process.env, ...env }, timeout: CLI_TIMEOUT_MS }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The image's ENV with its paths moved into the runtime stage's directory. */
function imageEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(stageEnv(runtimeStage))) {
    env[key] = value
      .split(':')
      .map((part) => (part === '$PATH' ? (process.env.PATH ?? '') : part.startsWith('/') ? path.join(runtime.root, part) : part))
      .join(':');
  }
  return env;
}

/** Loopback only, any free port, and no cgroups of this machine touched. */
const SANDBOX_ENV = {
  COORD_HOST: '127.0.0.1',
  COORD_PORT: '0',
  COORD_ADMIN_PORT: '0',
  RM_HOST: '127.0.0.1',
  RM_PORT: '0',
  RM_ADMIN_PORT: '0',
  RM_ISOLATION: 'none',
};

/** The node flags a bin's shebang gives (`#!/usr/bin/env node` or `#!/usr/bin/env -S node <flags>`). */
function shebangNodeFlags(bin: string): string[] {
  const line = fs.readFileSync(bin, 'utf8').split('\n')[0];
  const words = line.startsWith('#!/usr/bin/env ') ? line.slice('#!/usr/bin/env '.length).trim().split(/\s+/) : [];
  const [interpreter, ...flags] = words[0] === '-S' ? words.slice(1) : words;
  expect({ bin, interpreter, flagsNeedSplitting: words[0] !== '-S' && flags.length > 0 }).toEqual({ bin, interpreter: 'node', flagsNeedSplitting: false });
  return flags;
}

/** Starts a role the way the image does: its bin, found on the image's PATH, run by its shebang. */
async function startRole(argv: string[], env: Record<string, string>): Promise<ServiceProcess> {
  const { program, args } = invocationOf(argv, bins);
  const bin = path.join(app, 'node_modules/.bin', program);
  fs.accessSync(bin, fs.constants.X_OK);
  const child = await startServiceProcess({ command: fs.realpathSync(bin), nodeArgs: shebangNodeFlags(bin), args, env: { ...imageEnv(), ...SANDBOX_ENV, ...env }, timeoutMs: 30_000 });
  started.push(child);
  return child;
}

/** The Dockerfile's HEALTHCHECK command, as Docker runs it (sh -c, the image's PATH). */
function healthcheck(address: string, extraArgs = ''): Promise<Result> {
  const command = healthcheckCommand(last(runtimeStage, 'HEALTHCHECK')!);
  return sh(extraArgs ? command.replace(/^(\S+)/, `$1 ${extraArgs}`) : command, { PATH: imageEnv().PATH, HEALTH_ADDRESS: address });
}

function cli(program: string, args: string[]): Promise<Result> {
  return sh([program, ...args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`)].join(' '), { PATH: imageEnv().PATH });
}

/** Names that the packages installed in node_modules depend on. */
function dependenciesOfInstalled(nodeModules: string): Set<string> {
  const names = new Set<string>();
  const dirs = fs.readdirSync(nodeModules).flatMap((d) => (d.startsWith('@') ? fs.readdirSync(path.join(nodeModules, d)).map((s) => `${d}/${s}`) : [d]));
  for (const dir of dirs) {
    const manifest = path.join(nodeModules, dir, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) for (const name of Object.keys(pkg[field] ?? {})) names.add(name);
  }
  return names;
}

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ensemble-image-'));
  const stages = await buildStages(dockerfile, { contextDir: REPO_ROOT, outDir, runTimeoutMs: RUN_TIMEOUT_MS, log: (l) => process.stderr.write(`[image] ${l}\n`) });
  runtime = stages.get(runtimeStage.name)!;
  app = hostPath(runtime, '.');
  // The masters' task store as compose and k8s configure it, when redis-server is installed (CI installs it).
  if (fs.existsSync(REDIS_SERVER)) redis = await startRedis();
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all(started.map((p) => p.stop('SIGKILL')));
  killAllServiceProcesses();
  redis?.stop();
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

describe('the Dockerfile, run outside Docker', () => {
  test('builds, and the runtime stage holds compiled output and production dependencies only', () => {
    expect(runtime.ran).toEqual([expect.stringMatching(/^npm install --omit=dev\b/)]);
    const devDependencies = Object.keys((JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies);
    // A dev tool may still be there as some production package's own dependency (protobufjs needs @types/node).
    const needed = dependenciesOfInstalled(path.join(app, 'node_modules'));
    expect(devDependencies.filter((name) => fs.existsSync(path.join(app, 'node_modules', name)) && !needed.has(name))).toEqual([]);
    expect(fs.existsSync(path.join(app, 'node_modules/typescript'))).toBe(false);
    expect(fs.existsSync(path.join(app, 'services/coordination/src'))).toBe(false);
    expect(fs.existsSync(path.join(app, 'proto/coord/v1/coord.proto'))).toBe(true);
    for (const program of ['coord-server', 'rm-master', 'rm-agent', 'coordctl', 'rmctl', 'health-probe']) {
      expect({ program, linked: fs.existsSync(path.join(app, 'node_modules/.bin', program)) }).toEqual({ program, linked: true });
    }
  });

  test('each role starts from the image\'s commands, its HEALTHCHECK answers SERVING, and a task runs', async () => {
    // The default command: a coordination server (standalone here; compose and k8s add --servers).
    const coord = await startRole([...image.entrypoint, ...image.cmd], {});
    const coordAddress = `127.0.0.1:${coord.ready.clientPort as number}`;
    // Its bin's shebang pins the young generation (heap-growth.ts): no warning that it is not.
    expect(coord.lines.filter((l) => String(l.msg).startsWith('young generation')).map((l) => l.msg)).toEqual([]);
    expect(await healthcheck(coordAddress)).toMatchObject({ code: 0, stdout: 'SERVING\n' });
    expect(await healthcheck(coordAddress, '--service coord.v1.Coordination')).toMatchObject({ code: 0, stdout: 'SERVING\n' });
    expect((await healthcheck(coordAddress, '--service no.such.Service')).code).toBe(1);
    // Docker reserves exit code 2: a usage error is "unhealthy" too.
    expect((await healthcheck('not-an-address')).code).toBe(1);

    // Masters and agents as docker-compose.yml starts them.
    const masterArgv = [...image.entrypoint, ...composeArgv(compose.services['master-1'].command)!];
    const master = await startRole(masterArgv, { RM_COORD: coordAddress, ...(redis ? { REDIS_URL: redis.url } : {}) });
    expect(await healthcheck(`127.0.0.1:${master.ready.grpcPort as number}`)).toMatchObject({ code: 0, stdout: 'SERVING\n' });
    expect(master.lines.find((l) => l.msg === 'task store')?.kind).toBe(redis ? 'redis' : 'memory');
    const agentArgv = [...image.entrypoint, ...composeArgv(compose.services['agent-1'].command)!];
    const agent = await startRole(agentArgv, { RM_COORD: coordAddress, RM_RESOURCES: 'cpus:1;mem:256MiB;disk:1GiB;ports:[31000-31009]' });
    const agentAddress = `127.0.0.1:${agent.ready.grpcPort as number}`;
    expect(await healthcheck(agentAddress)).toMatchObject({ code: 0, stdout: 'SERVING\n' });

    // The CLIs of the image, against it.
    expect(await cli('coordctl', ['--server', coordAddress, 'create', '/deploy-check', 'from-the-image'])).toMatchObject({ code: 0 });
    expect((await cli('coordctl', ['--server', coordAddress, 'get', '/deploy-check'])).stdout).toContain('from-the-image');
    await waitFor(async () => (JSON.parse((await cli('rmctl', ['--coord', coordAddress, '--json', 'agents'])).stdout || '[]') as unknown[]).length === 1, {
      timeoutMs: 20_000,
      intervalMs: 250,
      what: 'the agent to register with the leading master',
    });
    const task = await cli('rmctl', ['--coord', coordAddress, 'run', '--cpus', '0.1', '--mem', '32MiB', '--', 'echo hello from $TASK_ID']);
    expect(task.code).toBe(0);
    expect(task.stdout).toMatch(/hello from \S+/);

    // Stopped as `docker stop` stops it (SIGTERM through tini): a clean exit, then the probe fails.
    for (const p of [agent, master, coord]) expect(await p.stop('SIGTERM', 15_000)).toEqual({ code: 0, signal: null });
    expect((await healthcheck(agentAddress)).code).toBe(1);
  }, 180_000);
});
