// One health check, performed: a command (exit 0), a TCP connect, or an HTTP GET (2xx/3xx), each
// against a deadline. Command checks run in the task's sandbox with its environment, in their own
// process group, which is SIGKILLed when the deadline passes.
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import type { TaskCommand } from '../executor';
import type { HealthResult } from './health-policy';

export interface CommandProbe {
  readonly kind: 'command';
  readonly command: TaskCommand;
  readonly shellPath: string;
  readonly cwd: string;
  readonly env: Record<string, string>;
}

export interface NetProbe {
  readonly kind: 'tcp' | 'http';
  readonly port: number;
  readonly path: string;
}

export type Probe = CommandProbe | NetProbe;

/** Output of a failing command check kept for the message. */
const OUTPUT_BYTES_MAX = 512;

export function runProbe(probe: Probe, timeoutMs: number): Promise<HealthResult> {
  if (probe.kind === 'command') return commandCheck(probe, timeoutMs);
  if (probe.kind === 'tcp') return tcpCheck(probe.port, timeoutMs);
  return httpCheck(probe.port, probe.path, timeoutMs);
}

function commandCheck(probe: CommandProbe, timeoutMs: number): Promise<HealthResult> {
  const argv = 'shell' in probe.command ? [probe.shellPath, '-c', probe.command.shell] : [...probe.command.argv];
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    const child = spawn(argv[0], argv.slice(1), { cwd: probe.cwd, env: probe.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer): void => {
      if (output.length < OUTPUT_BYTES_MAX) output += chunk.toString('utf8').slice(0, OUTPUT_BYTES_MAX - output.length);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, message: `cannot run the check: ${err.message}` });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return resolve({ ok: false, message: `command timed out after ${timeoutMs}ms` });
      if (code === 0) return resolve({ ok: true });
      const tail = output.trim() ? `: ${output.trim()}` : '';
      resolve({ ok: false, message: `command ${signal ? `died of ${signal}` : `exited ${code}`}${tail}` });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (err) {
    // ESRCH: the check ended meanwhile.
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

function tcpCheck(port: number, timeoutMs: number): Promise<HealthResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (result: HealthResult): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ ok: false, message: `no TCP connection to port ${port} within ${timeoutMs}ms` }), timeoutMs);
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (err) => done({ ok: false, message: `TCP port ${port}: ${err.message}` }));
  });
}

function httpCheck(port: number, path: string, timeoutMs: number): Promise<HealthResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: HealthResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, headers: { 'user-agent': 'ensemble-health-check' } }, (res) => {
      const code = res.statusCode ?? 0;
      res.resume();
      done(code >= 200 && code < 400 ? { ok: true } : { ok: false, message: `GET ${path} on port ${port} answered ${code}` });
    });
    const timer = setTimeout(() => done({ ok: false, message: `GET ${path} on port ${port}: no answer within ${timeoutMs}ms` }), timeoutMs);
    req.once('error', (err) => done({ ok: false, message: `GET ${path} on port ${port}: ${err.message}` }));
  });
}
