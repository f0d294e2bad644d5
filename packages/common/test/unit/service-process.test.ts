import * as fs from 'node:fs';
import * as path from 'node:path';
import { freeTmpDir, killAllServiceProcesses, startServiceProcess, waitFor } from '@ensemble/common';

const FIXTURE = path.join(__dirname, '../fixtures/fixture-service.js');

/** The process state letter from /proc (R, S, T = stopped, ...). */
function procState(pid: number): string {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

describe('startServiceProcess', () => {
  afterAll(() => killAllServiceProcesses());

  it('resolves on the ready line with its fields and keeps the parsed lines', async () => {
    const proc = await startServiceProcess({ command: FIXTURE, args: ['ready'] });
    try {
      expect(proc.pid).toBe(proc.child.pid);
      expect(proc.ready).toMatchObject({ msg: 'listening', port: 4242, service: 'fixture', node: 'n1' });
      expect(proc.lines).toContainEqual({ raw: 'not json' });
      const since = proc.lineCount();
      proc.stopSignal('SIGUSR2');
      const poked = await proc.waitForLine((l) => l.msg === 'poked', 5000, since);
      expect(poked.payload).toBe('<6 bytes>');
      expect(proc.lines).toContain(poked);
    } finally {
      await proc.stop();
    }
  });

  it('forces JSON logs even when the caller asked for pretty ones', async () => {
    const proc = await startServiceProcess({ command: FIXTURE, args: ['ready'], env: { LOG_FORMAT: 'pretty' } });
    await proc.kill9();
    expect(proc.ready.port).toBe(4242);
  });

  it('rejects with the stderr tail when the process exits before it is ready', async () => {
    await expect(startServiceProcess({ command: FIXTURE, args: ['fail'] })).rejects.toThrow(/exited \(code 3\)[\s\S]*cannot open data dir/);
  });

  it('rejects and kills the process when it is not ready in time', async () => {
    const err = (await startServiceProcess({ command: FIXTURE, args: ['hang'], timeoutMs: 1000 }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/no matching log line within 1000ms/);
    const pid = Number(/pid (\d+)/.exec(err.message)?.[1]);
    expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
  });

  it('pauses with SIGSTOP and resumes with SIGCONT', async () => {
    const proc = await startServiceProcess({ command: FIXTURE, args: ['ready'] });
    try {
      proc.stopSignal('SIGSTOP');
      await waitFor(() => procState(proc.pid) === 'T', { timeoutMs: 5000, what: 'process stopped' });
      const since = proc.lineCount();
      proc.stopSignal('SIGUSR2');
      proc.stopSignal('SIGCONT');
      await proc.waitForLine((l) => l.msg === 'poked', 5000, since);
    } finally {
      proc.stopSignal('SIGCONT');
      await proc.stop();
    }
  });

  it('kill9 ends the process with SIGKILL and waitForLine then fails fast', async () => {
    const proc = await startServiceProcess({ command: FIXTURE, args: ['ready'] });
    expect(await proc.kill9()).toEqual({ code: null, signal: 'SIGKILL' });
    await expect(proc.waitForLine((l) => l.msg === 'never', 5000)).rejects.toThrow(/exited \(signal SIGKILL\)/);
  });

  it('killAllServiceProcesses stops every process still running', async () => {
    const procs = await Promise.all([1, 2].map(() => startServiceProcess({ command: FIXTURE, args: ['ready'] })));
    killAllServiceProcesses();
    const exits = await Promise.all(procs.map((p) => p.exited));
    expect(exits).toEqual([
      { code: null, signal: 'SIGKILL' },
      { code: null, signal: 'SIGKILL' },
    ]);
  });
});

describe('waitFor', () => {
  it('resolves once the condition holds', async () => {
    let calls = 0;
    await waitFor(() => ++calls >= 3, { timeoutMs: 1000, intervalMs: 1 });
    expect(calls).toBe(3);
  });

  it('rejects after the deadline, naming the condition and the last error', async () => {
    const err = (await waitFor(
      () => {
        throw new Error('not yet');
      },
      { timeoutMs: 30, intervalMs: 5, what: 'leader elected' },
    ).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe('waitFor leader elected: condition not met within 30ms');
    expect((err.cause as Error).message).toBe('not yet');
  });
});

describe('freeTmpDir', () => {
  it('creates a fresh directory and removes it with its contents', () => {
    const a = freeTmpDir('coord test');
    const b = freeTmpDir('coord test');
    expect(a.path).not.toBe(b.path);
    fs.writeFileSync(path.join(a.path, 'snap'), 'x');
    a.cleanup();
    b.cleanup();
    expect(fs.existsSync(a.path)).toBe(false);
    expect(path.basename(a.path).startsWith('coord_test-')).toBe(true);
  });
});
