// Kubernetes schema checks for manifests, offline:
// 1. kubernetes-models' validators (compiled from the Kubernetes OpenAPI schemas): types, enums,
//    required fields, formats.
// 2. Unknown fields. The OpenAPI schemas allow any extra property, but the API server's strict
//    field validation (kubectl's default since Kubernetes 1.27) rejects them, so a misspelt field
//    must fail here too. kubernetes-models ships the schemas' TypeScript types as well: each
//    manifest is walked against the type of its kind with the TypeScript checker.
import * as path from 'node:path';
import * as ts from 'typescript';
import type { K8sObject } from './manifests';
import { REPO_ROOT } from './roles';

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** 'apps/v1' → 'kubernetes-models/apps/v1'; 'v1' (the core group) → 'kubernetes-models/v1'. */
function modelModule(apiVersion: string): string {
  return `kubernetes-models/${apiVersion}`;
}

function modelClass(object: K8sObject): ModelClass | undefined {
  let mod: Record<string, unknown>;
  try {
    mod = require(modelModule(object.apiVersion)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  return mod[object.kind] as ModelClass | undefined;
}

/** Schema violations of one object ([] when valid); an unknown apiVersion/kind is one too. */
export function schemaErrors(object: K8sObject): string[] {
  const Model = modelClass(object);
  if (!Model) return [`unknown apiVersion/kind ${object.apiVersion}/${object.kind}`];
  try {
    new Model(object).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: { instancePath: string; message?: string }[] }).errors;
    return errors ? errors.map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`) : [String(err)];
  }
}

/**
 * Paths of fields that the Kubernetes type of each object does not have, per object (same order).
 * One TypeScript program types all of them, which keeps this to a couple of seconds.
 */
export function unknownFields(objects: readonly K8sObject[]): string[][] {
  const file = path.join(REPO_ROOT, 'test/integration/deploy/__manifest_types__.ts');
  const lines = objects.map(
    (o, i) => `import type { I${o.kind} as T${i} } from '${modelModule(o.apiVersion)}/${o.kind}';\nexport declare const m${i}: T${i};`,
  );
  const options: ts.CompilerOptions = {
    noEmit: true,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const source = ts.createSourceFile(file, lines.join('\n'), ts.ScriptTarget.ES2022);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (name, ...rest) => (name === file ? source : getSourceFile(name, ...rest));
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const problems = ts.getPreEmitDiagnostics(program, program.getSourceFile(file));
  if (problems.length > 0) throw new Error(`cannot type manifests: ${problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ')}`);
  const checker = program.getTypeChecker();
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)!)!);
  return objects.map((o, i) => {
    const symbol = exported.find((s) => s.name === `m${i}`)!;
    const out: string[] = [];
    walk(checker, o, checker.getTypeOfSymbol(symbol), '', out);
    return out;
  });
}

const WALK_DEPTH_MAX = 40;

function walk(checker: ts.TypeChecker, value: unknown, declared: ts.Type, at: string, out: string[], depth = 0): void {
  if (depth > WALK_DEPTH_MAX || value === null || typeof value !== 'object') return; // scalars: the validators' job
  const type = checker.getNonNullableType(declared);
  const candidates = (type.isUnion() ? type.types : [type]).filter((t) => (t.flags & ts.TypeFlags.Object) !== 0);
  if (Array.isArray(value)) {
    const arrays = candidates.filter((t) => checker.isArrayType(t));
    if (arrays.length !== 1) return;
    const element = checker.getTypeArguments(arrays[0] as ts.TypeReference)[0];
    value.forEach((item, i) => walk(checker, item, element, `${at}[${i}]`, out, depth + 1));
    return;
  }
  const objects = candidates.filter((t) => !checker.isArrayType(t));
  if (objects.length !== 1) return; // no object type, or ambiguous: leave it to the validators
  const objectType = objects[0];
  const index = checker.getIndexInfoOfType(objectType, ts.IndexKind.String);
  for (const [key, child] of Object.entries(value)) {
    const prop = objectType.getProperty(key);
    const childType = prop ? checker.getTypeOfSymbol(prop) : index?.type;
    if (!childType) out.push(`${at}.${key}`);
    else walk(checker, child, childType, `${at}.${key}`, out, depth + 1);
  }
}
