// docker-compose.yml against the Compose specification's schema, and the topology the README
// promises: `docker compose up` brings up 3 coordination servers, Redis, 2 masters and 2 agents,
// each started only once what it needs is healthy.
import { composeErrors } from './support/compose-schema';
import { composeArgv, loadCompose, parseYaml, type ComposeFile, type ComposeService } from './support/manifests';
import { invocationOf, workspaceBins } from './support/roles';

const compose: ComposeFile = loadCompose();
const bins = workspaceBins();

function servicesRunning(program: string): [string, ComposeService][] {
  return Object.entries(compose.services).filter(([, s]) => {
    const argv = composeArgv(s.command);
    return argv !== undefined && invocationOf(argv, bins).program === program;
  });
}

function dependsOn(service: ComposeService): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d.condition]));
}

describe('docker-compose.yml', () => {
  test('is valid against the Compose specification schema', () => {
    expect(composeErrors(compose)).toEqual([]);
  });

  test('the schema check rejects what Compose rejects (a misspelt key, a bad duration, a bad port)', () => {
    const broken = structuredClone(compose);
    const coord = broken.services['coord-1'];
    coord.helthcheck = coord.healthcheck;
    (coord.healthcheck as Record<string, unknown>).interval = '5 seconds';
    coord.ports = ['2181:2181:2181'];
    const errors = composeErrors(broken).join('\n');
    expect(errors).toMatch(/\/services\/coord-1 must NOT have additional properties.*helthcheck/);
    expect(errors).toMatch(/\/services\/coord-1\/healthcheck\/interval must match format "duration"/);
    expect(errors).toMatch(/\/services\/coord-1\/ports\/0/);
  });

  test('reads YAML anchors and merge keys as Compose does', () => {
    const merged = parseYaml('a: &a {x: 1, y: 2}\nb:\n  <<: *a\n  y: 3\n', 'inline') as Record<string, Record<string, number>>;
    expect(merged.b).toEqual({ x: 1, y: 3 });
    expect(compose.services['coord-2'].healthcheck).toEqual(compose.services['coord-1'].healthcheck);
  });

  test('runs 3 coordination servers on named volumes, Redis, 2 masters and 2 agents', () => {
    const coords = servicesRunning('coord-server');
    expect(coords.map(([name]) => name).sort()).toEqual(['coord-1', 'coord-2', 'coord-3']);
    for (const [name, s] of coords) {
      const mount = (s.volumes ?? []).find((v) => typeof v === 'string' && v.endsWith(':/data'));
      expect({ name, mount }).toEqual({ name, mount: `${name}-data:/data` });
      expect(Object.keys(compose.volumes ?? {})).toContain(`${name}-data`);
    }
    expect(servicesRunning('rm-master').map(([name]) => name).sort()).toEqual(['master-1', 'master-2']);
    expect(servicesRunning('rm-agent').map(([name]) => name).sort()).toEqual(['agent-1', 'agent-2']);
    expect(compose.services.redis.image).toMatch(/^redis:\d/);
    expect(compose.services.redis.volumes).toEqual(['redis-data:/data']);
  });

  test('agents run as root, privileged, with their work dir on a named volume', () => {
    for (const [name, s] of servicesRunning('rm-agent')) {
      expect({ name, user: s.user, privileged: s.privileged }).toEqual({ name, user: 'root', privileged: true });
      const work = (s.volumes ?? []).find((v) => typeof v === 'string' && v.endsWith(':/data/agent'));
      expect(work).toBe(`${name}-work:/data/agent`);
    }
  });

  test('every service has a health check, and every dependency waits for health', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      expect({ name, test: Array.isArray(s.healthcheck?.test) && s.healthcheck.test[0] === 'CMD' }).toEqual({ name, test: true });
      for (const [dep, condition] of Object.entries(dependsOn(s))) {
        expect(Object.keys(compose.services)).toContain(dep);
        expect({ name, dep, condition }).toEqual({ name, dep, condition: 'service_healthy' });
      }
    }
    for (const [name, s] of [...servicesRunning('rm-master'), ...servicesRunning('rm-agent')]) {
      expect({ name, deps: Object.keys(dependsOn(s)) }).toEqual({ name, deps: expect.arrayContaining(['coord-1', 'coord-2', 'coord-3']) });
    }
    for (const [name, s] of servicesRunning('rm-master')) expect({ name, redis: dependsOn(s).redis }).toEqual({ name, redis: 'service_healthy' });
  });

  test('ports for the CLIs and admin pages are published, each host port once', () => {
    const published = Object.entries(compose.services).flatMap(([name, s]) =>
      (s.ports ?? []).map((p) => ({ name, host: String(p).split(':').slice(-2)[0], container: String(p).split(':').slice(-1)[0] })),
    );
    const hostPorts = published.map((p) => p.host);
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
    expect(published).toEqual(expect.arrayContaining([{ name: 'coord-1', host: '2181', container: '2181' }, { name: 'master-1', host: '5050', container: '5050' }]));
    for (const name of ['coord-1', 'coord-2', 'coord-3', 'master-1', 'master-2', 'agent-1', 'agent-2']) {
      expect(published.some((p) => p.name === name)).toBe(true);
    }
  });
});
