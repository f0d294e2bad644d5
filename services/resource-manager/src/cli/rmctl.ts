#!/usr/bin/env node
// The rmctl command: see `rmctl --help`.
import { runCli } from './run';

const interrupted = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});

runCli(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  stdout: (data) => process.stdout.write(data),
  stderr: (data) => process.stderr.write(data),
  interrupted,
}).then(
  (code) => {
    process.exitCode = code;
    // Pending signal listeners and idle gRPC channels must not keep the process alive.
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
    setTimeout(() => process.exit(code), 200).unref();
  },
  (err: unknown) => {
    process.stderr.write(`rmctl: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
