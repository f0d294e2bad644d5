// Every manifest in k8s/ against the Kubernetes schemas (kubernetes-models' validators, and no
// field the API server's strict field validation would reject), then the shape of the
// deployment the issue asks for, object by object.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { imageCommand, readDockerfile } from './support/dockerfile';
import { schemaErrors, unknownFields } from './support/k8s-schema';
import { K8S_DIR, k8sLabel, k8sManifestFiles, loadK8s, loadKustomization, type K8sObject } from './support/manifests';
import { REPO_ROOT, invocationOf, workspaceBins } from './support/roles';
import { containerArgv, containerEnv, findObject, matches, objectsOfKind, portNumber, workloads, type Container, type Workload } from './support/workloads';

const docs = loadK8s();
const all = workloads(docs);
const image = imageCommand(readDockerfile(path.join(REPO_ROOT, 'Dockerfile')));
const bins = workspaceBins();

function workloadRunning(program: string): Workload {
  const found = all.filter((w) => w.pod.containers.some((c) => invocationOf(containerArgv(c, image), bins).program === program));
  expect(found).toHaveLength(1);
  return found[0];
}

function mainContainer(w: Workload): Container {
  expect(w.pod.containers).toHaveLength(1);
  return w.pod.containers[0];
}

function servicesSelecting(w: Workload): K8sObject[] {
  return objectsOfKind(docs, 'Service').filter((s) => matches((s.spec as { selector: Record<string, string> }).selector, w.podLabels));
}

describe('k8s/ manifests: schemas', () => {
  test('every object is valid against the Kubernetes schemas', () => {
    expect(docs.length).toBeGreaterThan(10);
    const problems = docs.map((d) => ({ object: k8sLabel(d), errors: schemaErrors(d.object) }));
    expect(problems.filter((p) => p.errors.length > 0)).toEqual([]);
  });

  test('no object has a field its Kubernetes type lacks', () => {
    const unknown = unknownFields(docs.map((d) => d.object));
    expect(docs.map((d, i) => ({ object: k8sLabel(d), unknown: unknown[i] })).filter((p) => p.unknown.length > 0)).toEqual([]);
  });

  test('the checks reject a misspelt field, a wrong type and a bad enum value', () => {
    const sts = structuredClone(findObject(docs, 'StatefulSet', 'coord')) as K8sObject & { spec: Record<string, unknown> };
    sts.spec.podManagmentPolicy = 'Parallel';
    sts.spec.podManagementPolicy = 'AllAtOnce';
    sts.spec.replicas = '3';
    const pod = (sts.spec.template as { spec: { containers: Record<string, unknown>[] } }).spec;
    pod.containers[0].resource = pod.containers[0].resources;
    (pod.containers[0].readinessProbe as { grpc: Record<string, unknown> }).grpc.prot = 2181;
    (sts.metadata.labels ??= {})['any-label'] = 'is fine';
    expect(unknownFields([sts])[0].sort()).toEqual([
      '.spec.podManagmentPolicy',
      '.spec.template.spec.containers[0].readinessProbe.grpc.prot',
      '.spec.template.spec.containers[0].resource',
    ]);
    const errors = schemaErrors(sts).join('\n');
    expect(errors).toMatch(/\/spec\/podManagementPolicy must be equal to one of the allowed values/);
    expect(errors).toMatch(/\/spec\/replicas must be integer/);
    expect(schemaErrors({ apiVersion: 'apps/v1', kind: 'StatefulSett', metadata: { name: 'x' } })).toEqual(['unknown apiVersion/kind apps/v1/StatefulSett']);
  });

  test('kustomization.yaml lists exactly the manifests, and retags the image every Ensemble pod runs', () => {
    const k = loadKustomization() as { apiVersion: string; kind: string; resources: string[]; images: { name: string; newTag?: string; newName?: string }[] };
    const known = ['apiVersion', 'kind', 'namespace', 'labels', 'commonAnnotations', 'resources', 'images', 'configMapGenerator', 'patches', 'namePrefix', 'nameSuffix', 'replicas'];
    expect(Object.keys(k).filter((key) => !known.includes(key))).toEqual([]);
    expect([k.apiVersion, k.kind]).toEqual(['kustomize.config.k8s.io/v1beta1', 'Kustomization']);
    expect([...k.resources].sort()).toEqual(k8sManifestFiles());
    for (const r of k.resources) expect(fs.existsSync(path.join(K8S_DIR, r))).toBe(true);
    const ensembleImages = new Set(all.flatMap((w) => w.pod.containers).filter((c) => !c.image.startsWith('redis:')).map((c) => c.image.split(':')[0]));
    expect([...ensembleImages]).toEqual(k.images.map((i) => i.name));
  });
});

describe('k8s/ manifests: coordination service', () => {
  const w = workloadRunning('coord-server');
  const c = mainContainer(w);

  test('a StatefulSet of 3, started in parallel, with a volume claim per member mounted as its data', () => {
    expect(w.kind).toBe('StatefulSet');
    expect(w.spec.replicas).toBe(3);
    expect(w.spec.podManagementPolicy).toBe('Parallel');
    const claims = w.spec.volumeClaimTemplates as { metadata: { name: string } }[];
    expect(claims).toHaveLength(1);
    const dataDir = containerEnv(c, docs).COORD_DATA_DIR;
    const mount = c.volumeMounts?.find((m) => m.name === claims[0].metadata.name);
    expect(mount).toBeDefined();
    expect(dataDir.startsWith(`${mount!.mountPath}/`)).toBe(true);
  });

  test('a headless Service for peers that publishes not-ready pods, and a client Service', () => {
    const peers = findObject(docs, 'Service', w.spec.serviceName as string).spec as Record<string, unknown>;
    expect(peers.clusterIP).toBe('None');
    expect(peers.publishNotReadyAddresses).toBe(true);
    const clients = servicesSelecting(w).filter((s) => (s.spec as Record<string, unknown>).clusterIP !== 'None');
    expect(clients).toHaveLength(1);
  });

  test('a PodDisruptionBudget of maxUnavailable 1 and anti-affinity across nodes', () => {
    const pdbs = objectsOfKind(docs, 'PodDisruptionBudget').filter((p) => matches((p.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels, w.podLabels));
    expect(pdbs.map((p) => (p.spec as Record<string, unknown>).maxUnavailable)).toEqual([1]);
    const terms = Object.values(w.pod.affinity?.podAntiAffinity ?? {}).flat();
    expect(terms.some((t) => t.podAffinityTerm?.topologyKey === 'kubernetes.io/hostname' && matches(t.podAffinityTerm.labelSelector.matchLabels, w.podLabels))).toBe(true);
  });

  test('readiness is the native gRPC probe on the client port; liveness is /healthz, which ignores quorum', () => {
    expect(c.readinessProbe?.grpc?.port).toBe(portNumber(c, 'client'));
    for (const probe of [c.livenessProbe, c.startupProbe]) {
      expect(probe?.grpc).toBeUndefined();
      expect(probe?.httpGet?.path).toBe('/healthz');
      expect(portNumber(c, probe!.httpGet!.port)).toBe(portNumber(c, 'admin'));
    }
  });

  test('runs as the image\'s unprivileged user, with a volume group it can write', () => {
    expect(w.pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 });
  });
});

describe('k8s/ manifests: resource manager and Redis', () => {
  test('masters: a Deployment of 2 behind a Service, with a PodDisruptionBudget', () => {
    const w = workloadRunning('rm-master');
    expect([w.kind, w.spec.replicas]).toEqual(['Deployment', 2]);
    expect(servicesSelecting(w)).toHaveLength(1);
    const pdbs = objectsOfKind(docs, 'PodDisruptionBudget').filter((p) => matches((p.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels, w.podLabels));
    expect(pdbs).toHaveLength(1);
    expect(mainContainer(w).readinessProbe?.grpc?.port).toBe(portNumber(mainContainer(w), 'grpc'));
  });

  test('agents: a DaemonSet running as root, privileged, with its work dir on the node', () => {
    const w = workloadRunning('rm-agent');
    const c = mainContainer(w);
    expect(w.kind).toBe('DaemonSet');
    expect(c.securityContext).toMatchObject({ privileged: true, runAsUser: 0 });
    const workDir = containerEnv(c, docs).RM_WORK_DIR;
    const mount = c.volumeMounts?.find((m) => m.mountPath === workDir);
    expect(mount).toBeDefined();
    expect(w.pod.volumes?.find((v) => v.name === mount!.name)?.hostPath?.path).toMatch(/^\/var\/lib\//);
  });

  test('Redis: a StatefulSet with a volume behind the Service REDIS_URL names', () => {
    const w = all.find((x) => x.name === 'redis')!;
    expect(w.kind).toBe('StatefulSet');
    expect(w.spec.volumeClaimTemplates).toHaveLength(1);
    const url = new URL(containerEnv(mainContainer(workloadRunning('rm-master')), docs).REDIS_URL);
    const svc = findObject(docs, 'Service', url.hostname).spec as { selector: Record<string, string>; ports: { port: number }[] };
    expect(matches(svc.selector, w.podLabels)).toBe(true);
    expect(svc.ports.map((p) => p.port)).toContain(Number(url.port));
  });
});

describe('k8s/ manifests: every pod', () => {
  test('every container has cpu and memory requests and limits', () => {
    for (const c of all.flatMap((w) => w.pod.containers)) {
      for (const kind of ['requests', 'limits'] as const) {
        expect({ container: c.name, kind, keys: Object.keys(c.resources?.[kind] ?? {}).sort() }).toEqual({ container: c.name, kind, keys: ['cpu', 'memory'] });
      }
    }
  });

  test('every Service selects a workload\'s pods and targets ports those containers declare', () => {
    for (const svc of objectsOfKind(docs, 'Service')) {
      const spec = svc.spec as { selector: Record<string, string>; ports: { name: string; targetPort: number | string }[] };
      const targets = all.filter((w) => matches(spec.selector, w.podLabels));
      expect({ service: svc.metadata.name, workloads: targets.length }).toEqual({ service: svc.metadata.name, workloads: 1 });
      for (const p of spec.ports) {
        expect({ service: svc.metadata.name, port: p.name, found: targets[0].pod.containers.some((c) => portNumber(c, p.targetPort) !== undefined) }).toEqual({
          service: svc.metadata.name,
          port: p.name,
          found: true,
        });
      }
    }
  });

  test('every workload selector matches its own pod template', () => {
    for (const w of all) expect({ workload: w.name, ok: matches(w.spec.selector.matchLabels, w.podLabels) }).toEqual({ workload: w.name, ok: true });
  });
});
