// The coordination server's options: flags and COORD_* environment variables.
import { defineOptions } from '@ensemble/common';

export const COORD_OPTIONS = defineOptions([
  { name: 'host', env: 'COORD_HOST', type: 'string', default: '127.0.0.1', description: 'Address the client and admin ports listen on' },
  { name: 'port', env: 'COORD_PORT', type: 'int', min: 0, max: 65535, description: 'Client gRPC port (0: any free port; default 2181, or this server\'s client port in --servers)' },
  { name: 'admin-port', env: 'COORD_ADMIN_PORT', type: 'int', default: 8181, min: 0, max: 65535, description: 'Admin HTTP port: /metrics, /healthz, /readyz, /status (0: any free port)' },
  { name: 'data-dir', env: 'COORD_DATA_DIR', type: 'string', default: 'data/coord', description: 'Directory of the write-ahead log and snapshots' },
  { name: 'server-id', env: 'COORD_SERVER_ID', type: 'string', default: '1', description: 'This server\'s id (1..255), or `auto`: the trailing ordinal of the hostname + 1 (StatefulSet pod coord-2 is server 3)' },
  { name: 'servers', env: 'COORD_SERVERS', type: 'string', description: 'Ensemble members as id@host:peerPort:clientPort,... (absent: a standalone server)' },
  { name: 'peer-host', env: 'COORD_PEER_HOST', type: 'string', description: 'Address the peer port listens on (default: --host)' },
  { name: 'raft-tick', env: 'COORD_RAFT_TICK', type: 'duration', default: '50ms', min: 5, max: 10_000, description: 'Raft tick: heartbeat interval of the leader' },
  { name: 'election-ticks', env: 'COORD_ELECTION_TICKS', type: 'int', default: 10, min: 2, max: 1000, description: 'Raft ticks without a leader before an election (randomized up to twice this)' },
  { name: 'leader-wait', env: 'COORD_LEADER_WAIT', type: 'duration', default: '3s', min: 100, max: 600_000, description: 'How long a write waits for a leader before failing with CONNECTION_LOSS; a member cut off from the quorum this long drops its clients' },
  { name: 'enable-fault-injection', env: 'COORD_ENABLE_FAULT_INJECTION', type: 'bool', default: false, description: 'Tests only: serve POST /faults on --fault-port to drop peer traffic' },
  { name: 'fault-port', env: 'COORD_FAULT_PORT', type: 'int', default: 0, min: 0, max: 65535, description: 'Port of the fault-injection endpoint (0: any free port)' },
  { name: 'tick', env: 'COORD_TICK', type: 'duration', default: '100ms', min: 10, max: 10_000, description: 'Granularity of session expiry and TTL/container reaping' },
  { name: 'min-session-timeout', env: 'COORD_MIN_SESSION_TIMEOUT', type: 'duration', default: '1s', min: 100, description: 'Shortest session timeout granted' },
  { name: 'max-session-timeout', env: 'COORD_MAX_SESSION_TIMEOUT', type: 'duration', default: '60s', min: 100, description: 'Longest session timeout granted' },
  { name: 'fsync', env: 'COORD_FSYNC', type: 'bool', default: true, description: 'fdatasync the log before acknowledging writes (--no-fsync only for throwaway data)' },
  { name: 'fsync-warn', env: 'COORD_FSYNC_WARN', type: 'duration', default: '1s', min: 0, max: 600_000, description: 'Log a warning when one write + fdatasync of the log takes this long (ZooKeeper: fsync.warningthresholdms)' },
  { name: 'snapshot-every', env: 'COORD_SNAPSHOT_EVERY', type: 'int', default: 100_000, min: 100, description: 'Transactions between snapshots' },
  { name: 'snapshot-retain', env: 'COORD_SNAPSHOT_RETAIN', type: 'int', default: 3, min: 1, max: 100, description: 'Snapshots (and the log they need) kept on disk' },
  { name: 'heap-growth', env: 'COORD_HEAP_GROWTH', type: 'int', default: 300, min: 0, max: 1000, description: 'Percent the JS heap may grow past what the last full GC left before the next one: fewer full-GC pauses, more memory (0: V8 decides)' },
  { name: 'max-data', env: 'COORD_MAX_DATA', type: 'bytes', default: '1MiB', min: 1, max: 64 * 1024 * 1024, description: 'Largest znode data' },
  { name: 'max-sessions', env: 'COORD_MAX_SESSIONS', type: 'int', default: 60_000, min: 1, description: 'Most live sessions' },
  { name: 'max-watches-per-session', env: 'COORD_MAX_WATCHES_PER_SESSION', type: 'int', default: 100_000, min: 1, description: 'Most watches one session may hold' },
  { name: 'max-outstanding-per-session', env: 'COORD_MAX_OUTSTANDING_PER_SESSION', type: 'int', default: 10_000, min: 1, description: 'Requests in flight per session before THROTTLED_OP' },
] as const);
