// A reader of the Dockerfile's instructions (the subset this repository uses), so the deploy
// tests can run the very commands the image build runs instead of a copy of them.
import * as fs from 'node:fs';

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, ENV, ... */
  keyword: string;
  /** --name=value options before the arguments (COPY --from, RUN --mount, HEALTHCHECK --interval). */
  flags: Record<string, string>;
  /** The rest of the line, continuation lines joined. */
  text: string;
  /** JSON (exec) form parsed, or undefined for the shell form. */
  exec?: string[];
  line: number;
}

export interface Stage {
  name: string;
  image: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  args: Record<string, string>;
  stages: Stage[];
}

const INSTRUCTIONS_MAX = 500;

export function readDockerfile(file: string): Dockerfile {
  return parseDockerfile(fs.readFileSync(file, 'utf8'));
}

export function parseDockerfile(text: string): Dockerfile {
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const ins of logicalLines(text)) {
    if (ins.keyword === 'ARG' && stages.length === 0) {
      const [name, value = ''] = splitOnce(ins.text, '=');
      args[name.trim()] = value.trim();
    } else if (ins.keyword === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.text);
      if (!m) throw new Error(`Dockerfile line ${ins.line}: cannot read FROM ${ins.text}`);
      stages.push({ name: m[2] ?? String(stages.length), image: substitute(m[1], args), instructions: [] });
    } else {
      if (stages.length === 0) throw new Error(`Dockerfile line ${ins.line}: ${ins.keyword} before FROM`);
      stages[stages.length - 1].instructions.push(ins);
    }
  }
  return { args, stages };
}

export function stage(dockerfile: Dockerfile, name: string): Stage {
  const found = dockerfile.stages.find((s) => s.name === name);
  if (!found) throw new Error(`Dockerfile has no stage '${name}' (stages: ${dockerfile.stages.map((s) => s.name).join(', ')})`);
  return found;
}

/** The last instruction of a kind in a stage (CMD, ENTRYPOINT, HEALTHCHECK, USER: the last one wins). */
export function last(s: Stage, keyword: string): Instruction | undefined {
  return [...s.instructions].reverse().find((i) => i.keyword === keyword);
}

/** ENV instructions of a stage as one map (`ENV A=1 B=2` form; values may be double-quoted). */
export function stageEnv(s: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const ins of s.instructions.filter((i) => i.keyword === 'ENV')) {
    for (const m of ins.text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
      env[m[1]] = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2];
    }
  }
  return env;
}

function* logicalLines(text: string): Generator<Instruction> {
  const lines = text.split('\n');
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let joined = lines[i];
    if (/^\s*(#|$)/.test(joined)) continue;
    while (joined.endsWith('\\') && i + 1 < lines.length) {
      i++;
      if (/^\s*#/.test(lines[i])) continue; // comments inside a continued instruction are dropped
      joined = `${joined.slice(0, -1).trimEnd()} ${lines[i].trim()}`;
    }
    if (++count > INSTRUCTIONS_MAX) throw new Error(`Dockerfile has more than ${INSTRUCTIONS_MAX} instructions`);
    yield toInstruction(joined.trim(), start + 1);
  }
}

function toInstruction(line: string, lineNo: number): Instruction {
  const [keyword, rest = ''] = splitOnce(line, ' ');
  const flags: Record<string, string> = {};
  let text = rest.trim();
  for (let m = /^--([a-z-]+)=(\S+)\s*/.exec(text); m; m = /^--([a-z-]+)=(\S+)\s*/.exec(text)) {
    flags[m[1]] = m[2];
    text = text.slice(m[0].length);
  }
  const ins: Instruction = { keyword: keyword.toUpperCase(), flags, text, line: lineNo };
  if (ins.keyword === 'HEALTHCHECK') return ins; // its CMD is read by healthcheckCommand()
  if (text.startsWith('[')) ins.exec = JSON.parse(text) as string[];
  return ins;
}

/** HEALTHCHECK [options] CMD <command>: the command, in shell form as written. */
export function healthcheckCommand(ins: Instruction): string {
  const m = /^CMD\s+(.*)$/.exec(ins.text);
  if (!m) throw new Error(`Dockerfile line ${ins.line}: HEALTHCHECK without CMD`);
  return m[1];
}

function splitOnce(text: string, sep: string): [string, string?] {
  const at = text.indexOf(sep);
  return at === -1 ? [text] : [text.slice(0, at), text.slice(at + sep.length)];
}

function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_m, name: string) => vars[name] ?? '');
}

/** The final image's ENTRYPOINT and CMD (exec form). */
export function imageCommand(dockerfile: Dockerfile): { entrypoint: string[]; cmd: string[] } {
  const final = dockerfile.stages[dockerfile.stages.length - 1];
  const entrypoint = last(final, 'ENTRYPOINT');
  const cmd = last(final, 'CMD');
  if ((entrypoint && !entrypoint.exec) || (cmd && !cmd.exec)) throw new Error('ENTRYPOINT and CMD must use the exec (JSON) form');
  return { entrypoint: entrypoint?.exec ?? [], cmd: cmd?.exec ?? [] };
}
