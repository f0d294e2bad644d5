import type { Logger } from './logger';

// Orderly stop on SIGTERM/SIGINT: the steps run one after another in the given order (typically:
// mark unhealthy, stop accepting, drain, flush state, close stores), each bounded so one stuck
// step cannot keep a pod in Terminating. A second signal means the operator gave up waiting.

export interface ShutdownStep {
  name: string;
  run: () => Promise<void>;
}

export interface ShutdownOptions {
  /** Bound on each step. */
  timeoutMs: number;
  signals?: readonly NodeJS.Signals[];
  /** Replaces process.exit (tests). */
  exit?: (code: number) => void;
}

export interface ShutdownHandle {
  /** Runs the steps as if a signal came; resolves with the exit code (already passed to exit). */
  trigger(reason: string): Promise<number>;
  /** Removes the signal handlers. */
  dispose(): void;
}

const DEFAULT_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
const LOG_FLUSH_MS_MAX = 1000;

export function onShutdown(logger: Logger, steps: readonly ShutdownStep[], opts: ShutdownOptions): ShutdownHandle {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const signals = opts.signals ?? DEFAULT_SIGNALS;
  let running: Promise<number> | undefined;

  const trigger = (reason: string): Promise<number> => {
    running ??= runSteps(logger, steps, opts.timeoutMs, reason).then(async (code) => {
      await flushLogger(logger);
      exit(code);
      return code;
    });
    return running;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (running) {
      logger.warn('second signal, exiting now', { signal });
      exit(1);
      return;
    }
    void trigger(signal);
  };
  for (const signal of signals) process.on(signal, onSignal);
  return {
    trigger,
    dispose: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}

/** Runs every step (a failed one does not stop the rest) and returns the exit code. */
export async function runSteps(logger: Logger, steps: readonly ShutdownStep[], timeoutMs: number, reason: string): Promise<number> {
  logger.info('shutting down', { reason, steps: steps.map((s) => s.name) });
  let failed = 0;
  for (const step of steps) {
    const startedMs = Date.now();
    const outcome = await runBounded(step, timeoutMs);
    const durationMs = Date.now() - startedMs;
    if (outcome.ok) logger.info('shutdown step done', { step: step.name, durationMs });
    else if (outcome.timedOut) logger.error('shutdown step timed out', { step: step.name, timeoutMs });
    else logger.error('shutdown step failed', { step: step.name, durationMs, err: outcome.err });
    if (!outcome.ok) failed++;
  }
  const code = failed === 0 ? 0 : 1;
  logger.info('shutdown complete', { exitCode: code, failedSteps: failed });
  return code;
}

type StepOutcome = { ok: true } | { ok: false; timedOut: true } | { ok: false; timedOut: false; err: unknown };

async function runBounded(step: ShutdownStep, timeoutMs: number): Promise<StepOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<StepOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, timedOut: true }), timeoutMs);
  });
  const work = Promise.resolve()
    .then(() => step.run())
    .then(
      (): StepOutcome => ({ ok: true }),
      (err: unknown): StepOutcome => ({ ok: false, timedOut: false, err }),
    );
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits (bounded) until the logger's lines have left the process: logger, transports, stdout. */
export async function flushLogger(logger: Logger, timeoutMs = LOG_FLUSH_MS_MAX): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = () =>
    logger.writableLength > 0 ||
    logger.readableLength > 0 ||
    logger.transports.some((t) => t.writableLength > 0) ||
    process.stdout.writableLength > 0;
  while (pending() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
}
