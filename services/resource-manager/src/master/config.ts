// rm-master's options: flags, then RM_* environment variables, then defaults.
import { defineOptions } from '@ensemble/common';

export const MASTER_OPTIONS = defineOptions([
  { name: 'host', env: 'RM_HOST', type: 'string', default: '127.0.0.1', description: 'address to listen on' },
  { name: 'port', env: 'RM_PORT', type: 'int', default: 5050, min: 0, max: 65535, description: 'gRPC port (0: any free port)' },
  { name: 'admin-port', env: 'RM_ADMIN_PORT', type: 'int', default: 8050, min: 0, max: 65535, description: 'admin HTTP port: /metrics, /healthz, /status' },
  { name: 'advertise-host', env: 'RM_ADVERTISE_HOST', type: 'string', description: 'host others reach this master at (default: --host)' },
  { name: 'coord', env: 'RM_COORD', type: 'string', default: '127.0.0.1:2181', description: 'coordination servers, host:port,host:port' },
  { name: 'coord-root', env: 'RM_COORD_ROOT', type: 'string', default: '/rm', description: 'znode under which masters elect (<root>/masters) and the registry lives' },
  { name: 'session-timeout', env: 'RM_SESSION_TIMEOUT', type: 'duration', default: '5s', min: 100, description: 'coordination session timeout: how fast a dead leader is replaced (failover takes about this long)' },
  { name: 'redis-url', env: 'REDIS_URL', type: 'string', description: 'keep task records in Redis (redis://host:port/db); default: in memory' },
  { name: 'redis-key-prefix', env: 'RM_REDIS_KEY_PREFIX', type: 'string', default: 'rm:', description: 'prefix of the task store keys in Redis' },
  { name: 'agent-heartbeat-interval', env: 'RM_AGENT_HEARTBEAT_INTERVAL', type: 'duration', default: '1s', min: 10, description: 'how often agents heartbeat' },
  { name: 'agent-timeout', env: 'RM_AGENT_TIMEOUT', type: 'duration', default: '15s', min: 50, description: 'an agent silent or disconnected this long (or not re-registered this long after a failover) is unreachable' },
  { name: 'agent-unreachable-rate', env: 'RM_AGENT_UNREACHABLE_RATE', type: 'string', default: '10/1m', description: 'at most this many agents marked unreachable per period, N/duration (e.g. 1/10mins) or none' },
  { name: 'framework-heartbeat-interval', env: 'RM_FRAMEWORK_HEARTBEAT_INTERVAL', type: 'duration', default: '15s', min: 10, description: 'HEARTBEAT events to frameworks' },
  { name: 'failover-timeout-max', env: 'RM_FAILOVER_TIMEOUT_MAX', type: 'duration', default: '168h', min: 0, description: 'cap on a framework\'s failover timeout' },
  { name: 'allocation-interval', env: 'RM_ALLOCATION_INTERVAL', type: 'duration', default: '100ms', min: 1, description: 'allocation cycle period' },
  { name: 'offer-timeout', env: 'RM_OFFER_TIMEOUT', type: 'duration', default: '60s', min: 0, description: 'rescind offers older than this (0: never)' },
] as const);
