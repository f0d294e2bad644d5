#!/usr/bin/env node
// `npm start`: runs the local system from the build output, on embedded defaults (no Redis, no
// Docker). Data lives under ./data. Ctrl-C stops every process it started.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const root = path.resolve(__dirname, '..');
const dataRoot = path.join(root, 'data');

const RM = 'services/resource-manager/dist';
// The node flags a coordination server runs with (see heap-growth.ts).
const { SERVER_NODE_FLAGS } = require('../services/coordination/dist/heap-growth.js');
const COORD = ['--coord', '127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183'];
const processes = [
  // A 3-server coordination ensemble: clients on 2181-2183, admin on 8181-8183, peers on 2888-2890.
  ...[1, 2, 3].map((id) => ({
    name: `coord-${id}`,
    script: 'services/coordination/dist/main.js',
    nodeArgs: SERVER_NODE_FLAGS,
    args: ['--servers', '1@127.0.0.1:2888:2181,2@127.0.0.1:2889:2182,3@127.0.0.1:2890:2183', '--server-id', String(id),
      '--host', '127.0.0.1', '--admin-port', String(8180 + id), '--data-dir', path.join(dataRoot, `coord-${id}`)],
  })),
  // Two masters: one leads, the other stands by (and redirects); both find each other through coord-1.
  { name: 'master-1', script: `${RM}/master/main.js`, args: ['--port', '5050', '--admin-port', '8050', ...COORD] },
  { name: 'master-2', script: `${RM}/master/main.js`, args: ['--port', '5052', '--admin-port', '8052', ...COORD] },
  {
    name: 'agent-1',
    script: `${RM}/agent/main.js`,
    args: ['--port', '5051', '--admin-port', '8051', ...COORD, '--work-dir', path.join(dataRoot, 'agent-1'), '--resources', 'cpus:2;mem:2GiB;ports:[31000-31499]', '--attributes', 'rack:a'],
  },
  {
    name: 'agent-2',
    script: `${RM}/agent/main.js`,
    args: ['--port', '5053', '--admin-port', '8053', ...COORD, '--work-dir', path.join(dataRoot, 'agent-2'), '--resources', 'cpus:2;mem:2GiB;ports:[31500-31999]', '--attributes', 'rack:b'],
  },
];

const children = [];
let stopping = false;

function start(p) {
  const child = spawn(process.execPath, [...(p.nodeArgs ?? []), path.join(root, p.script), ...p.args], {
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
    '  coordination         127.0.0.1:2181, :2182, :2183 (gRPC; a 3-server ensemble)   admin http://127.0.0.1:8181/status, :8182, :8183',
    '  rm masters           127.0.0.1:5050, 127.0.0.1:5052 (gRPC; one leads)   admin http://127.0.0.1:8050/status, :8052',
    '  rm agents            127.0.0.1:5051 (rack:a), 127.0.0.1:5053 (rack:b)   admin http://127.0.0.1:8051/status, :8053',
    '  task store           in memory (set REDIS_URL for Redis)',
    '',
    'Try:  npx coordctl create /hello world && npx coordctl get /hello',
    '      node services/resource-manager/dist/cli/rmctl.js leader',
    "      node services/resource-manager/dist/cli/rmctl.js run -- 'echo hello from $TASK_ID'",
    '      node services/resource-manager/dist/cli/rmctl.js agents',
    'Ctrl-C stops everything.',
    '',
  ].join('\n'),
);
