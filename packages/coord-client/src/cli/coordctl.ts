#!/usr/bin/env node
// The coordctl command: see `coordctl --help`.
import { runCli } from './run';

const interrupted = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});

runCli(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  interrupted,
}).then(
  (code) => {
    process.exitCode = code;
    // Pending signal listeners must not keep the process alive.
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
  },
  (err: unknown) => {
    process.stderr.write(`coordctl: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
