// Runs a Dockerfile's stages outside Docker, on this machine: each stage's filesystem root is a
// temporary directory, COPY copies (the build context as .dockerignore leaves it, or from an
// earlier stage), WORKDIR moves, and RUN runs the stage's npm commands for real. System setup
// that only makes sense inside an image (apt-get, creating and chowning top-level directories)
// is not run here but must have one of the expected shapes, so a new kind of RUN line fails
// loudly instead of being skipped without notice.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyContext, readDockerignore } from './build-context';
import type { Dockerfile, Instruction } from './dockerfile';

export interface BuiltStage {
  name: string;
  /** The directory standing for the stage's `/`. */
  root: string;
  /** WORKDIR at the end of the stage, as an absolute path inside the image. */
  workdir: string;
  /** RUN commands run, and those recognised as in-image system setup and not run. */
  ran: string[];
  skipped: string[];
}

export interface BuildOptions {
  contextDir: string;
  outDir: string;
  /** Per RUN command. */
  runTimeoutMs: number;
  log?: (line: string) => void;
}

const SYSTEM_SETUP = [/^apt-get update && apt-get install -y --no-install-recommends [\w. -]+ && rm -rf \/var\/lib\/apt\/lists\/\*$/];
const MKDIR_CHOWN = /^mkdir -p ((?:\/[\w./-]+ ?)+) && chown [\w:]+ (?:\/[\w./-]+ ?)+$/;
const NPM_COMMAND = /^npm [\w =@./-]+$/;
const OUTPUT_CHARS_MAX = 1_000_000;

export async function buildStages(dockerfile: Dockerfile, opts: BuildOptions): Promise<Map<string, BuiltStage>> {
  const built = new Map<string, BuiltStage>();
  for (const s of dockerfile.stages) {
    const stage: BuiltStage = { name: s.name, root: path.join(opts.outDir, s.name), workdir: '/', ran: [], skipped: [] };
    fs.mkdirSync(stage.root, { recursive: true });
    for (const ins of s.instructions) await apply(ins, stage, built, opts);
    built.set(s.name, stage);
  }
  return built;
}

/** A path inside a stage's image, on this machine. */
export function hostPath(stage: BuiltStage, imagePath: string): string {
  return path.join(stage.root, path.posix.resolve(stage.workdir, imagePath));
}

async function apply(ins: Instruction, stage: BuiltStage, built: Map<string, BuiltStage>, opts: BuildOptions): Promise<void> {
  switch (ins.keyword) {
    case 'WORKDIR':
      stage.workdir = path.posix.resolve(stage.workdir, ins.text);
      fs.mkdirSync(hostPath(stage, '.'), { recursive: true });
      return;
    case 'COPY':
      return copy(ins, stage, built, opts);
    case 'RUN':
      return run(ins, stage, opts);
    case 'ADD':
      throw new Error(`Dockerfile line ${ins.line}: ADD is not supported here; use COPY`);
    default:
      return; // ENV, ARG, EXPOSE, USER, HEALTHCHECK, ENTRYPOINT, CMD change no files
  }
}

function copy(ins: Instruction, stage: BuiltStage, built: Map<string, BuiltStage>, opts: BuildOptions): void {
  const words = ins.exec ?? ins.text.split(/\s+/);
  const dest = words[words.length - 1];
  const sources = words.slice(0, -1);
  const target = hostPath(stage, dest);
  if (!ins.flags.from) {
    if (sources.length !== 1 || sources[0] !== '.') throw new Error(`Dockerfile line ${ins.line}: only COPY . <dest> is supported from the build context`);
    const count = copyContext(opts.contextDir, target, readDockerignore(path.join(opts.contextDir, '.dockerignore')));
    opts.log?.(`COPY . ${dest}: ${count} files`);
    return;
  }
  const from = built.get(ins.flags.from);
  if (!from) throw new Error(`Dockerfile line ${ins.line}: no earlier stage '${ins.flags.from}'`);
  const intoDir = dest.endsWith('/') || sources.length > 1;
  for (const source of sources) {
    const src = path.join(from.root, source);
    if (!fs.existsSync(src)) throw new Error(`Dockerfile line ${ins.line}: ${source} does not exist in stage ${from.name}`);
    // Docker copies a directory's contents (not the directory itself) to the destination.
    const to = fs.statSync(src).isDirectory() || !intoDir ? target : path.join(target, path.basename(src));
    fs.mkdirSync(fs.statSync(src).isDirectory() ? to : path.dirname(to), { recursive: true });
    fs.cpSync(src, to, { recursive: true, preserveTimestamps: true });
  }
}

async function run(ins: Instruction, stage: BuiltStage, opts: BuildOptions): Promise<void> {
  const command = ins.text;
  if (SYSTEM_SETUP.some((re) => re.test(command))) {
    stage.skipped.push(command);
    return;
  }
  const mkdir = MKDIR_CHOWN.exec(command);
  if (mkdir) {
    // Ownership means nothing outside the image; the directories do.
    for (const dir of mkdir[1].trim().split(' ')) fs.mkdirSync(path.join(stage.root, dir), { recursive: true });
    stage.skipped.push(command);
    return;
  }
  if (!NPM_COMMAND.test(command)) throw new Error(`Dockerfile line ${ins.line}: the deploy test does not know how to run '${command}'`);
  const started = Date.now();
  await sh(command, hostPath(stage, '.'), opts.runTimeoutMs);
  opts.log?.(`RUN ${command} (${stage.name}): ${Date.now() - started} ms`);
  stage.ran.push(command);
}

function sh(command: string, cwd: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('sh', ['-c', command], { cwd, timeout: timeoutMs, maxBuffer: OUTPUT_CHARS_MAX, env: { ...process.env, npm_config_update_notifier: 'false' } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`'${command}' failed in ${cwd}: ${err.message}\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`, { cause: err }));
      else resolve();
    });
  });
}
