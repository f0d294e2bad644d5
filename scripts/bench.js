#!/usr/bin/env node
// `npm run bench -- <name> [options]`: runs one benchmark from the build output.
// Benchmarks print throughput and latency percentiles; they never assert times.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const BENCHES = {
  coord: 'services/coordination/dist/bench/coord-bench.js',
  allocator: 'services/resource-manager/dist/bench/allocator-bench.js',
  launch: 'services/resource-manager/dist/bench/launch-bench.js',
  failover: 'services/resource-manager/dist/bench/failover-time.js',
};

const [name, ...args] = process.argv.slice(2);
if (!name || !BENCHES[name]) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [options]  (add --help for a bench's options)\n`);
  process.exit(2);
}
const result = spawnSync(process.execPath, [path.resolve(__dirname, '..', BENCHES[name]), ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
