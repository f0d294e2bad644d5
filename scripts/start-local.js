#!/usr/bin/env node
// `npm start`: runs the local system from the build output, on embedded defaults (no Redis, no
// Docker). Data lives under ./data. Ctrl-C stops every process it started.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const root = path.resolve(__dirname, '..');
const dataRoot = path.join(root, 'data');

const processes = [
  {
    name: 'coord-1',
    script: 'services/coordination/dist/main.js',
    args: ['--host', '127.0.0.1', '--port', '2181', '--admin-port', '8181', '--data-dir', path.join(dataRoot, 'coord-1')],
  },
];

const children = [];
let stopping = false;

function start(p) {
  const child = spawn(process.execPath, [path.join(root, p.script), ...p.args], {
    env: { ...process.env, LOG_FORMAT: process.env.LOG_FORMAT || 'pretty' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${p.name}] ${line}\n`));
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stdout.write(`[${p.name}] exited (${signal || code}); stopping everything\n`);
      stopAll(1);
    }
  });
}

function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  }, 10_000);
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.on('exit', r))))).then(() => {
    clearTimeout(force);
    process.exit(exitCode);
  });
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

for (const p of processes) start(p);
process.stdout.write(
  [
    '',
    'Ensemble is starting:',
    '  coordination server  127.0.0.1:2181 (gRPC)   admin http://127.0.0.1:8181/status',
    '',
    'Try:  npx coordctl create /hello world && npx coordctl get /hello',
    'Ctrl-C stops everything.',
    '',
  ].join('\n'),
);
