// No drift between the deployment files and the services: every flag and environment variable
// that the Dockerfile, docker-compose.yml and k8s/ give a role is one its option schema accepts,
// with a value it parses; addresses, ports and probes agree with what the role listens on; and
// every command the image is asked to run exists in the build output and is copied into it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listEnvVars, parseConfig } from '@ensemble/common';
import { parseServers, resolveServerId, type EnsembleMember } from '../../../services/coordination/src/ensemble/ensemble-config';
import { healthcheckCommand, imageCommand, last, readDockerfile, stage, stageEnv } from './support/dockerfile';
import { composeArgv, composeEnv, loadCompose, loadK8s, type ComposeService } from './support/manifests';
import { COORD_DEFAULT_CLIENT_PORT, PROCESS_ENV, REPO_ROOT, ROLES, invocationOf, roleOf, workspaceBins, type Invocation, type Role } from './support/roles';
import { containerArgv, containerEnv, portNumber, workloads, type Container } from './support/workloads';

const dockerfile = readDockerfile(path.join(REPO_ROOT, 'Dockerfile'));
const runtime = dockerfile.stages[dockerfile.stages.length - 1];
const image = imageCommand(dockerfile);
const imageEnv = stageEnv(runtime);
const bins = workspaceBins();
const compose = loadCompose();
const k8s = loadK8s();
const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];

interface RoleRun {
  where: string;
  role: Role;
  invocation: Invocation;
  /** Variables the deployment file itself sets (image ENV excluded). */
  ownEnv: Record<string, string>;
  config: Record<string, unknown>;
}

/** Parses what a deployment gives a role exactly as its entry point does; throws like it would. */
function runRole(where: string, invocation: Invocation, ownEnv: Record<string, string>): RoleRun {
  const role = roleOf(invocation.program);
  if (!role) throw new Error(`${where}: ${invocation.program} is not a server role`);
  try {
    const config = parseConfig(role.options, invocation.args, { ...imageEnv, ...ownEnv }) as unknown as Record<string, unknown>;
    return { where, role, invocation, ownEnv, config };
  } catch (err) {
    throw new Error(`${where}: ${invocation.program} would refuse to start: ${(err as Error).message}`, { cause: err });
  }
}

function unacceptedEnv(role: Role, env: Record<string, string>): string[] {
  const accepted = new Set([...listEnvVars(role.options), ...PROCESS_ENV]);
  return Object.keys(env).filter((k) => !accepted.has(k));
}

function logEnvProblems(env: Record<string, string>): string[] {
  const problems: string[] = [];
  if (env.LOG_LEVEL !== undefined && !LOG_LEVELS.includes(env.LOG_LEVEL)) problems.push(`LOG_LEVEL=${env.LOG_LEVEL}`);
  if (env.LOG_FORMAT !== undefined && !['json', 'pretty'].includes(env.LOG_FORMAT)) problems.push(`LOG_FORMAT=${env.LOG_FORMAT}`);
  return problems;
}

function members(run: RoleRun): EnsembleMember[] | null {
  const servers = run.config.servers as string | undefined;
  if (servers === undefined || servers.trim() === '') return null;
  const parsed = parseServers(servers);
  if (!parsed.ok) throw new Error(`${run.where}: COORD_SERVERS: ${parsed.reason}`);
  return parsed.value;
}

/** The client port a coordination server listens on, as its main() picks it. */
function coordClientPort(run: RoleRun, hostname: string): number {
  if (run.config.port !== undefined) return run.config.port as number;
  const list = members(run);
  if (!list) return COORD_DEFAULT_CLIENT_PORT;
  const id = resolveServerId(run.config.serverId as string, hostname);
  if (!id.ok) throw new Error(`${run.where}: ${id.reason}`);
  const self = list.find((m) => m.id === id.value);
  if (!self) throw new Error(`${run.where}: server ${id.value} is not in COORD_SERVERS`);
  return self.clientPort;
}

function grpcPort(run: RoleRun, hostname: string): number {
  return run.role.name === 'coord-server' ? coordClientPort(run, hostname) : (run.config.port as number);
}

function hostPorts(list: string): { host: string; port: number }[] {
  return list.split(',').map((hp) => ({ host: hp.slice(0, hp.lastIndexOf(':')), port: Number(hp.slice(hp.lastIndexOf(':') + 1)) }));
}

function isEnsembleImage(s: ComposeService): boolean {
  return s.build !== undefined || (s.image ?? '').startsWith('ensemble:');
}

// ---- docker-compose.yml ----

const composeRuns = Object.entries(compose.services)
  .filter(([, s]) => isEnsembleImage(s))
  .map(([name, s]) => {
    const invocation = invocationOf([...image.entrypoint, ...(composeArgv(s.command) ?? image.cmd)], bins);
    return { name, service: s, run: runRole(`compose ${name}`, invocation, composeEnv(s)) };
  });

function composeRunsOf(program: string) {
  return composeRuns.filter((r) => r.run.role.name === program);
}

describe('config drift: docker-compose.yml', () => {
  test('every Ensemble service runs a server role', () => {
    expect(composeRuns.map((r) => r.run.role.name).sort()).toEqual(['coord-server', 'coord-server', 'coord-server', 'rm-agent', 'rm-agent', 'rm-master', 'rm-master']);
  });

  test('every environment variable is one the role reads, with a value it accepts', () => {
    for (const { name, run } of composeRuns) {
      expect({ name, unaccepted: unacceptedEnv(run.role, run.ownEnv), log: logEnvProblems({ ...imageEnv, ...run.ownEnv }) }).toEqual({ name, unaccepted: [], log: [] });
    }
  });

  test('the coordination servers form one ensemble: ids, hosts and client ports agree', () => {
    const coords = composeRunsOf('coord-server');
    const lists = coords.map(({ run }) => run.config.servers);
    expect(new Set(lists).size).toBe(1);
    const list = members(coords[0].run)!;
    expect(list).toHaveLength(coords.length);
    const ids = coords.map(({ name, service, run }) => {
      const id = resolveServerId(run.config.serverId as string, service.hostname ?? name);
      if (!id.ok) throw new Error(id.reason);
      const self = list.find((m) => m.id === id.value)!;
      expect({ name, host: self.host, clientPort: self.clientPort }).toEqual({ name, host: name, clientPort: coordClientPort(run, name) });
      return id.value;
    });
    expect(new Set(ids).size).toBe(coords.length);
  });

  test('masters and agents point at the coordination servers, the masters at Redis', () => {
    const clientPorts = new Map(composeRunsOf('coord-server').map(({ name, run }) => [name, coordClientPort(run, name)]));
    for (const { name, run } of [...composeRunsOf('rm-master'), ...composeRunsOf('rm-agent')]) {
      const coord = hostPorts(run.config.coord as string);
      expect({ name, coord }).toEqual({ name, coord: [...clientPorts].map(([host, port]) => ({ host, port })) });
      expect({ name, advertised: run.config.advertiseHost }).toEqual({ name, advertised: name });
    }
    for (const { name, run } of composeRunsOf('rm-master')) {
      const url = new URL(run.config.redisUrl as string);
      expect({ name, redis: compose.services[url.hostname]?.image?.startsWith('redis:'), port: url.port }).toEqual({ name, redis: true, port: '6379' });
    }
  });

  test('health checks probe the gRPC port the role listens on, published ports are the role\'s ports', () => {
    for (const { name, service, run } of composeRuns) {
      const [kind, program, address] = service.healthcheck?.test as string[];
      expect([kind, program]).toEqual(['CMD', 'health-probe']);
      const port = grpcPort(run, service.hostname ?? name);
      expect({ name, address }).toEqual({ name, address: `127.0.0.1:${port}` });
      const listening = [port, run.config.adminPort as number];
      for (const p of service.ports ?? []) expect({ name, port: listening.includes(Number(String(p).split(':').pop())) }).toEqual({ name, port: true });
    }
  });
});

// ---- k8s/ ----

const k8sRuns = workloads(k8s).flatMap((w) =>
  w.pod.containers
    .filter((c) => !c.image.startsWith('redis:'))
    .map((c) => ({ workload: w, container: c, run: runRole(`k8s ${w.name}/${c.name}`, invocationOf(containerArgv(c, image), bins), containerEnv(c, k8s)) })),
);

function k8sRunOf(program: string): { workload: ReturnType<typeof workloads>[number]; container: Container; run: RoleRun } {
  const found = k8sRuns.filter((r) => r.run.role.name === program);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('config drift: k8s/', () => {
  test('every Ensemble container runs a server role', () => {
    expect(k8sRuns.map((r) => r.run.role.name).sort()).toEqual(['coord-server', 'rm-agent', 'rm-master']);
  });

  test('every variable from ConfigMaps and env is one the role reads, with a value it accepts', () => {
    for (const { run } of k8sRuns) {
      expect({ where: run.where, unaccepted: unacceptedEnv(run.role, run.ownEnv), log: logEnvProblems({ ...imageEnv, ...run.ownEnv }) }).toEqual({ where: run.where, unaccepted: [], log: [] });
    }
  });

  test('StatefulSet pod ordinals map onto the ensemble: server-id auto, peer DNS names and ports', () => {
    const { workload, container, run } = k8sRunOf('coord-server');
    const list = members(run)!;
    expect(list).toHaveLength(workload.spec.replicas!);
    const ids = Array.from({ length: workload.spec.replicas! }, (_v, ordinal) => {
      const pod = `${workload.name}-${ordinal}`;
      const id = resolveServerId(run.config.serverId as string, pod);
      if (!id.ok) throw new Error(id.reason);
      const self = list.find((m) => m.id === id.value);
      expect(self).toEqual({ id: id.value, host: `${pod}.${workload.spec.serviceName as string}`, peerPort: portNumber(container, 'peer'), clientPort: portNumber(container, 'client') });
      return id.value;
    });
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('masters and agents point at the coordination members\' client ports', () => {
    const coord = k8sRunOf('coord-server');
    const expected = members(coord.run)!.map((m) => ({ host: m.host, port: m.clientPort }));
    for (const program of ['rm-master', 'rm-agent']) {
      const { run } = k8sRunOf(program);
      expect({ program, coord: hostPorts(run.config.coord as string) }).toEqual({ program, coord: expected });
    }
  });

  test('probes and declared ports are the ports each role listens on', () => {
    for (const { workload, container, run } of k8sRuns) {
      const port = grpcPort(run, `${workload.name}-0`);
      expect({ where: run.where, readiness: container.readinessProbe?.grpc?.port }).toEqual({ where: run.where, readiness: port });
      const liveness = container.livenessProbe?.httpGet;
      expect({ where: run.where, liveness: liveness && portNumber(container, liveness.port) }).toEqual({ where: run.where, liveness: run.config.adminPort });
      const declared = (container.ports ?? []).filter((p) => p.name !== 'peer').map((p) => p.containerPort).sort();
      expect({ where: run.where, declared }).toEqual({ where: run.where, declared: [port, run.config.adminPort as number].sort() });
    }
  });
});

// ---- Dockerfile and the build output ----

describe('config drift: the image', () => {
  test('every ENV of the image is read by some role (or by Node and the logger)', () => {
    const readers = new Set([...Object.values(ROLES).flatMap((r) => listEnvVars(r.options)), ...PROCESS_ENV]);
    expect(Object.keys(imageEnv).filter((k) => !readers.has(k))).toEqual([]);
    expect(logEnvProblems(imageEnv)).toEqual([]);
  });

  test('the default command is the coordination server, and the HEALTHCHECK default probes its port', () => {
    const run = runRole('Dockerfile CMD', invocationOf([...image.entrypoint, ...image.cmd], bins), {});
    expect(run.role.name).toBe('coord-server');
    const probe = healthcheckCommand(last(runtime, 'HEALTHCHECK')!);
    const m = /^(\S+) "\$\{HEALTH_ADDRESS:-127\.0\.0\.1:(\d+)\}"$/.exec(probe);
    expect(m).not.toBeNull();
    expect(bins.has(m![1])).toBe(true);
    expect(Number(m![2])).toBe(grpcPort(run, 'localhost'));
  });

  test('the init the ENTRYPOINT names is installed by the image', () => {
    expect(image.entrypoint[0]).toBe('tini');
    const installs = runtime.instructions.filter((i) => i.keyword === 'RUN' && /apt-get install\b.*\btini\b/.test(i.text));
    expect(installs).toHaveLength(1);
  });

  test('every command compose and k8s run exists in the build output and is copied into the image', () => {
    const programs = new Set<string>([
      invocationOf([...image.entrypoint, ...image.cmd], bins).program,
      healthcheckCommand(last(runtime, 'HEALTHCHECK')!).split(' ')[0],
      ...composeRuns.map((r) => r.run.invocation.program),
      ...Object.values(compose.services).flatMap((s) => (isEnsembleImage(s) ? [(s.healthcheck?.test as string[])[1]] : [])),
      ...k8sRuns.map((r) => r.run.invocation.program),
      'coordctl',
      'rmctl',
    ]);
    const copied = runtime.instructions.filter((i) => i.keyword === 'COPY' && i.flags.from === 'build').flatMap((i) => i.text.split(/\s+/).slice(0, -1));
    for (const program of programs) {
      const bin = bins.get(program);
      expect({ program, bin: bin !== undefined }).toEqual({ program, bin: true });
      expect({ program, built: fs.existsSync(path.join(REPO_ROOT, bin!.script)) }).toEqual({ program, built: true });
      for (const workspace of workspaceClosure(bin!.workspace)) {
        expect({ program, workspace, copied: [`/src/${workspace}/package.json`, `/src/${workspace}/dist`].every((f) => copied.includes(f)) }).toEqual({ program, workspace, copied: true });
      }
    }
    expect(stage(dockerfile, 'build').instructions.some((i) => i.keyword === 'RUN' && i.text === 'npm run build')).toBe(true);
  });
});

/** A workspace and every @ensemble/* workspace it depends on at run time. */
function workspaceClosure(workspace: string): string[] {
  const byName = new Map<string, string>();
  for (const group of ['packages', 'services']) {
    for (const dir of fs.readdirSync(path.join(REPO_ROOT, group))) {
      const file = path.join(REPO_ROOT, group, dir, 'package.json');
      if (fs.existsSync(file)) byName.set((JSON.parse(fs.readFileSync(file, 'utf8')) as { name: string }).name, `${group}/${dir}`);
    }
  }
  const seen = new Set<string>();
  const visit = (ws: string): void => {
    if (seen.has(ws)) return;
    seen.add(ws);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, ws, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(pkg.dependencies ?? {})) if (byName.has(dep)) visit(byName.get(dep)!);
  };
  visit(workspace);
  return [...seen];
}
