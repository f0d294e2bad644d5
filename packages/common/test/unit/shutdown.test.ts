import * as path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, killAllServiceProcesses, onShutdown, startServiceProcess, type LogLine } from '@ensemble/common';

const FIXTURE = path.join(__dirname, '../fixtures/fixture-service.js');

function memoryLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: createLogger({ service: 'test', stream, env: {} }), lines };
}

const stepEvents = (lines: LogLine[]) =>
  lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('shutdown step')).map((l) => `${l.step}:${l.msg}`);

describe('onShutdown (in process)', () => {
  it('runs the steps in order, each once, and exits 0', async () => {
    const { logger, lines } = memoryLogger();
    const order: string[] = [];
    const exits: number[] = [];
    const step = (name: string) => ({ name, run: async () => void order.push(name) });
    const handle = onShutdown(logger, [step('health'), step('grpc'), step('store')], { timeoutMs: 1000, signals: [], exit: (c) => exits.push(c) });
    const [a, b] = [handle.trigger('test'), handle.trigger('again')];
    expect(await a).toBe(0);
    expect(await b).toBe(0);
    expect(order).toEqual(['health', 'grpc', 'store']);
    expect(exits).toEqual([0]);
    expect(lines.map((l) => l.msg)).toEqual(['shutting down', 'shutdown step done', 'shutdown step done', 'shutdown step done', 'shutdown complete']);
  });

  it('keeps going past a failed or stuck step and exits 1', async () => {
    const { logger, lines } = memoryLogger();
    const order: string[] = [];
    const exits: number[] = [];
    const handle = onShutdown(
      logger,
      [
        { name: 'broken', run: async () => { order.push('broken'); throw new Error('cannot close'); } },
        { name: 'stuck', run: () => { order.push('stuck'); return new Promise<void>(() => undefined); } },
        { name: 'last', run: async () => void order.push('last') },
      ],
      { timeoutMs: 50, signals: [], exit: (c) => exits.push(c) },
    );
    expect(await handle.trigger('test')).toBe(1);
    expect(order).toEqual(['broken', 'stuck', 'last']);
    expect(exits).toEqual([1]);
    expect(lines.find((l) => l.msg === 'shutdown step failed')).toMatchObject({ step: 'broken', err: { message: 'cannot close' } });
    expect(lines.find((l) => l.msg === 'shutdown step timed out')).toMatchObject({ step: 'stuck', timeoutMs: 50 });
    expect(lines[lines.length - 1]).toMatchObject({ msg: 'shutdown complete', exitCode: 1, failedSteps: 2 });
  });
});

describe('onShutdown (real signals)', () => {
  afterAll(() => killAllServiceProcesses());

  it('runs the steps in order on SIGTERM and exits 0', async () => {
    const proc = await startServiceProcess({ command: FIXTURE, args: ['ready', 'health:ok,grpc:ok,store:ok'] });
    const exit = await proc.stop('SIGTERM', 5000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(stepEvents(proc.lines)).toEqual(['health:shutdown step done', 'grpc:shutdown step done', 'store:shutdown step done']);
    expect(proc.lines[proc.lines.length - 1]).toMatchObject({ msg: 'shutdown complete', exitCode: 0 });
  });

  it('exits 1 on SIGINT when a step fails or times out, still running the later steps', async () => {
    const proc = await startServiceProcess({ command: FIXTURE, args: ['ready', 'a:fail,b:hang,c:ok'], env: { FIXTURE_STEP_TIMEOUT_MS: '100' } });
    const exit = await proc.stop('SIGINT', 5000);
    expect(exit).toEqual({ code: 1, signal: null });
    expect(stepEvents(proc.lines)).toEqual(['a:shutdown step failed', 'b:shutdown step timed out', 'c:shutdown step done']);
  });

  it('exits at once on a second signal', async () => {
    const proc = await startServiceProcess({ command: FIXTURE, args: ['ready', 'stuck:hang,never:ok'], env: { FIXTURE_STEP_TIMEOUT_MS: '60000' } });
    proc.stopSignal('SIGTERM');
    await proc.waitForLine((l) => l.msg === 'step running' && l.step === 'stuck');
    const exit = await proc.stop('SIGTERM', 5000);
    expect(exit).toEqual({ code: 1, signal: null });
    expect(proc.lines.some((l) => l.step === 'never')).toBe(false);
  });
});
