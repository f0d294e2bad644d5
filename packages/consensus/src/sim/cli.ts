// Replays one seed exactly (with its trace), or runs many and prints a summary:
//   node packages/consensus/dist/sim/cli.js --seed 123 [--nodes 5] [--steps N] [--profile chaos] [--verbose]
//   node packages/consensus/dist/sim/cli.js --seeds 1000 [--seed FIRST] [--nodes 5]
// The only shell around the pure simulator: arguments in, text out, exit code 1 on a violation.
import { CALM, PROFILE_NAMES, type Faults } from './faults';
import { runSimulation, type SimOptions, type SimResult } from './simulation';

interface CliArgs {
  first: number;
  seeds: number | undefined;
  verbose: boolean;
  /** Everything but the seed. */
  base: Omit<SimOptions, 'seed'>;
}

const USAGE = [
  'usage: cli.js --seed N [--nodes N] [--steps N] [--liveness-steps N] [--profile NAME] [--clients N]',
  '              [--write-rate P] [--read-rate P] [--fault KEY=VALUE]... [--send-before-persist] [--verbose]',
  '       cli.js --seeds COUNT [--seed FIRST] [same options]',
  `profiles: ${PROFILE_NAMES.join(', ')}; fault keys: ${Object.keys(CALM).join(', ')}`,
].join('\n');

function parseNumber(flag: string, value: string | undefined, integer: boolean): number | string {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    return `${flag} needs a non-negative ${integer ? 'integer' : 'number'}, got ${value}`;
  }
  return n;
}

function parseFault(spec: string | undefined, faults: Partial<Faults>): string | undefined {
  const [key, value] = (spec ?? '').split('=');
  if (key === undefined || !(key in CALM)) return `unknown fault ${key}`;
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n < 0) return `--fault ${key} needs a non-negative number`;
  faults[key as keyof Faults] = n;
  return undefined;
}

const NUMERIC_FLAGS: Record<string, [keyof Omit<SimOptions, 'seed'> | 'first' | 'seeds', boolean]> = {
  '--seed': ['first', true], '--seeds': ['seeds', true], '--nodes': ['nodes', true], '--steps': ['steps', true],
  '--liveness-steps': ['livenessSteps', true], '--clients': ['clients', true],
  '--write-rate': ['writeRate', false], '--read-rate': ['readRate', false],
};

function parseArgs(argv: string[]): CliArgs | string {
  const args: CliArgs = { first: 1, seeds: undefined, verbose: false, base: {} };
  const faults: Partial<Faults> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    if (flag === '--verbose') args.verbose = true;
    else if (flag === '--send-before-persist') args.base.sendBeforePersist = true;
    else if (flag === '--profile') {
      const name = argv[++i];
      if (name === undefined || !PROFILE_NAMES.includes(name)) return `unknown profile ${name}`;
      args.base.profile = name;
    } else if (flag === '--fault') {
      const error = parseFault(argv[++i], faults);
      if (error !== undefined) return error;
    } else {
      const spec = NUMERIC_FLAGS[flag];
      if (spec === undefined) return `unknown flag ${flag}`;
      const n = parseNumber(flag, argv[++i], spec[1]);
      if (typeof n === 'string') return n;
      if (spec[0] === 'first') args.first = n;
      else if (spec[0] === 'seeds') args.seeds = n;
      else (args.base as Record<string, number>)[spec[0]] = n;
    }
  }
  if (Object.keys(faults).length > 0) args.base.faults = faults;
  return args;
}

function printFailure(result: Extract<SimResult, { ok: false }>): void {
  console.log(`FAIL seed=${result.seed} ${result.violation.kind}: ${result.violation.message}`);
  console.log('trace tail:');
  for (const line of result.traceTail) console.log(`  ${line}`);
  console.log(`replay: ${result.replay}`);
}

function replayOne(args: CliArgs): boolean {
  const onTrace = args.verbose ? (line: string) => console.log(line) : undefined;
  const result = runSimulation({ ...args.base, seed: args.first, trace: args.verbose, onTrace });
  if (!result.ok) {
    printFailure(result);
    return false;
  }
  console.log(`ok seed=${result.seed} ${JSON.stringify(result.stats)}`);
  return true;
}

function runMany(args: CliArgs, count: number): boolean {
  const byProfile = new Map<string, number>();
  let failures = 0;
  let units = 0;
  for (let seed = args.first; seed < args.first + count; seed++) {
    const result = runSimulation({ ...args.base, seed });
    units += result.stats.units;
    byProfile.set(result.stats.profile, (byProfile.get(result.stats.profile) ?? 0) + 1);
    if (!result.ok) {
      failures++;
      printFailure(result);
    }
  }
  const profiles = [...byProfile].map(([p, n]) => `${p}=${n}`).join(' ');
  console.log(`${count - failures}/${count} seeds ok (${profiles}; ${units} simulated time units)`);
  return failures === 0;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(`${args}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  try {
    const ok = args.seeds !== undefined ? runMany(args, args.seeds) : replayOne(args);
    process.exitCode = ok ? 0 : 1;
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 2;
  }
}

main();
