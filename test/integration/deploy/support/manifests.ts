// Loads docker-compose.yml and k8s/*.yaml as plain data, the way Compose and kubectl read them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import { REPO_ROOT } from './roles';

export const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yml');
export const K8S_DIR = path.join(REPO_ROOT, 'k8s');
export const KUSTOMIZATION = 'kustomization.yaml';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface ComposeService {
  image?: string;
  build?: string | { context: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition: string }>;
  volumes?: (string | { type: string; source?: string; target: string })[];
  ports?: (string | number | { target: number; published?: number })[];
  user?: string;
  privileged?: boolean;
  hostname?: string;
  [key: string]: unknown;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

/** YAML 1.2 with `<<` merge keys, as Compose reads it; a YAML error fails loudly. */
export function parseYaml(text: string, what: string): unknown {
  const doc = parseDocument(text, { merge: true, prettyErrors: true });
  if (doc.errors.length > 0) throw new Error(`${what}: ${doc.errors.map((e) => e.message).join('\n')}`);
  return doc.toJS({ maxAliasCount: 1000 });
}

export function loadCompose(file = COMPOSE_FILE): ComposeFile {
  return parseYaml(fs.readFileSync(file, 'utf8'), path.basename(file)) as ComposeFile;
}

/** Compose's own interpolation of a literal value: `$$` is a dollar sign. */
export function composeLiteral(value: string): string {
  if (/\$(?!\$)\{?[A-Za-z_]/.test(value.replace(/\$\$/g, ''))) throw new Error(`unexpected variable interpolation in ${JSON.stringify(value)}`);
  return value.replace(/\$\$/g, '$');
}

/** A service's environment as a map of strings (Compose accepts a map or KEY=VALUE list). */
export function composeEnv(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((e) => [e.split('=')[0], composeLiteral(e.slice(e.indexOf('=') + 1))]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, composeLiteral(v === null ? '' : String(v))]));
}

export function composeArgv(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : value.split(/\s+/).filter(Boolean)).map(composeLiteral);
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: Json | undefined | K8sObject['metadata'];
}

export interface K8sDocument {
  file: string;
  index: number;
  object: K8sObject;
}

export function k8sManifestFiles(dir = K8S_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && f !== KUSTOMIZATION)
    .sort();
}

/** Every non-empty document of every manifest in k8s/ (the kustomization excepted). */
export function loadK8s(dir = K8S_DIR): K8sDocument[] {
  const out: K8sDocument[] = [];
  for (const file of k8sManifestFiles(dir)) {
    const docs = parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'), { prettyErrors: true });
    if (!Array.isArray(docs)) throw new Error(`${file}: not a YAML stream`);
    docs.forEach((doc, index) => {
      if (doc.errors.length > 0) throw new Error(`${file}#${index}: ${doc.errors.map((e) => e.message).join('\n')}`);
      const object = doc.toJS() as K8sObject | null;
      if (object !== null) out.push({ file, index, object });
    });
  }
  return out;
}

export function loadKustomization(dir = K8S_DIR): Record<string, unknown> {
  return parseYaml(fs.readFileSync(path.join(dir, KUSTOMIZATION), 'utf8'), KUSTOMIZATION) as Record<string, unknown>;
}

export function k8sLabel(doc: K8sDocument): string {
  return `${doc.file}: ${doc.object.kind}/${doc.object.metadata?.name}`;
}
