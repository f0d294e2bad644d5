// The pods the Kubernetes manifests run: containers, their effective command and environment.
import type { K8sDocument, K8sObject } from './manifests';

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string }; configMapKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  securityContext?: { privileged?: boolean; runAsUser?: number };
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface Probe {
  grpc?: { port: number; service?: string };
  httpGet?: { path: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command: string[] };
}

export interface PodSpec {
  containers: Container[];
  volumes?: { name: string; hostPath?: { path: string; type?: string } }[];
  affinity?: { podAntiAffinity?: Record<string, { weight?: number; podAffinityTerm?: { topologyKey: string; labelSelector: { matchLabels: Record<string, string> } } }[]> };
  securityContext?: { runAsUser?: number; runAsNonRoot?: boolean; fsGroup?: number };
}

export interface Workload {
  doc: K8sDocument;
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  name: string;
  spec: Record<string, unknown> & { replicas?: number; selector: { matchLabels: Record<string, string> } };
  podLabels: Record<string, string>;
  pod: PodSpec;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export function workloads(docs: readonly K8sDocument[]): Workload[] {
  return docs
    .filter((d) => WORKLOAD_KINDS.has(d.object.kind))
    .map((doc) => {
      const spec = doc.object.spec as unknown as Workload['spec'] & { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
      return { doc, kind: doc.object.kind as Workload['kind'], name: doc.object.metadata.name, spec, podLabels: spec.template.metadata.labels, pod: spec.template.spec };
    });
}

export function objectsOfKind(docs: readonly K8sDocument[], kind: string): K8sObject[] {
  return docs.filter((d) => d.object.kind === kind).map((d) => d.object);
}

export function findObject(docs: readonly K8sDocument[], kind: string, name: string): K8sObject {
  const found = docs.find((d) => d.object.kind === kind && d.object.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name} in k8s/`);
  return found.object;
}

/** Values the downward API fills in at run time, as plausible stand-ins. */
const FIELD_STAND_INS: Record<string, string> = { 'status.podIP': '10.244.0.7', 'spec.nodeName': 'node-a', 'metadata.name': 'pod-0' };

/** A container's environment: envFrom ConfigMaps first, then env (which wins), as the kubelet does. */
export function containerEnv(container: Container, docs: readonly K8sDocument[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    if (!from.configMapRef) throw new Error(`container ${container.name}: only configMapRef is understood in envFrom`);
    const data = (findObject(docs, 'ConfigMap', from.configMapRef.name).data ?? {}) as Record<string, string>;
    Object.assign(env, data);
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.fieldRef) env[e.name] = FIELD_STAND_INS[e.valueFrom.fieldRef.fieldPath] ?? 'x';
    else if (e.valueFrom?.configMapKeyRef) env[e.name] = ((findObject(docs, 'ConfigMap', e.valueFrom.configMapKeyRef.name).data ?? {}) as Record<string, string>)[e.valueFrom.configMapKeyRef.key];
    else env[e.name] = '';
  }
  return env;
}

/** The argv a container runs: command replaces the image's ENTRYPOINT, args its CMD. */
export function containerArgv(container: Container, image: { entrypoint: string[]; cmd: string[] }): string[] {
  if (container.command) return [...container.command, ...(container.args ?? [])];
  return [...image.entrypoint, ...(container.args ?? image.cmd)];
}

export function portNumber(container: Container, port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

export function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
