#!/usr/bin/env node
// health-probe [--service name] [--timeout ms] host:port
// Asks a server's grpc.health.v1 Check (grpc/doc/health-checking.md) and exits 0 only when the
// answer is SERVING. Container HEALTHCHECKs run it, so every other outcome — NOT_SERVING, an
// unknown service, no answer within the timeout, a usage error — exits 1: Docker reserves exit
// code 2, and a probe must never report "healthy" by mistake.
import * as grpc from '@grpc/grpc-js';
import { loadHealthV1 } from '@ensemble/proto';

const TIMEOUT_MS_DEFAULT = 3000;
const TIMEOUT_MS_MAX = 60_000;
const UNHEALTHY = 1;

const USAGE = `Usage: health-probe [--service name] [--timeout ms] host:port

Asks the gRPC health service at host:port for the status of a service ('' = the whole server).
Prints the status; exits 0 if it is SERVING, 1 otherwise (not serving, unknown service,
no answer within --timeout, default ${TIMEOUT_MS_DEFAULT} ms, or bad usage).`;

interface ProbeArgs {
  address: string;
  service: string;
  timeoutMs: number;
}

type ParsedArgs = { ok: true; args: ProbeArgs } | { ok: true; help: true } | { ok: false; error: string };

function parseArgs(argv: readonly string[]): ParsedArgs {
  let service = '';
  let timeoutMs = TIMEOUT_MS_DEFAULT;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { ok: true, help: true };
    if (arg === '--service' || arg === '--timeout') {
      const value = argv[++i];
      if (value === undefined) return { ok: false, error: `${arg} needs a value` };
      if (arg === '--service') service = value;
      else timeoutMs = Number(value);
      continue;
    }
    if (arg.startsWith('-')) return { ok: false, error: `unknown option ${arg}` };
    positional.push(arg);
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > TIMEOUT_MS_MAX) {
    return { ok: false, error: `--timeout must be a whole number of milliseconds within 1..${TIMEOUT_MS_MAX}` };
  }
  if (positional.length !== 1) return { ok: false, error: 'expected exactly one host:port' };
  if (!/^(\[[^\]]+\]|[^:\s[\]]+):\d{1,5}$/.test(positional[0])) return { ok: false, error: `'${positional[0]}' is not host:port` };
  return { ok: true, args: { address: positional[0], service, timeoutMs } };
}

/** The status the server reports for the service, or why there is none. */
function check(args: ProbeArgs): Promise<{ ok: true; status: string } | { ok: false; reason: string }> {
  const { Health } = loadHealthV1().grpc.health.v1;
  const client = new Health(args.address, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.Check({ service: args.service }, { deadline: Date.now() + args.timeoutMs }, (err, response) => {
      client.close();
      if (err) resolve({ ok: false, reason: `${grpc.status[err.code] ?? err.code}: ${err.details || err.message}` });
      else resolve({ ok: true, status: String(response?.status ?? 'UNKNOWN') });
    });
  });
}

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`health-probe: ${parsed.error}\n${USAGE}\n`);
    return UNHEALTHY;
  }
  if ('help' in parsed) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const result = await check(parsed.args);
  const what = parsed.args.service === '' ? parsed.args.address : `${parsed.args.address} ${parsed.args.service}`;
  if (!result.ok) {
    process.stderr.write(`health-probe: ${what}: ${result.reason}\n`);
    return UNHEALTHY;
  }
  process.stdout.write(`${result.status}\n`);
  return result.status === 'SERVING' ? 0 : UNHEALTHY;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`health-probe: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(UNHEALTHY);
  },
);
