// rm-agent's options: flags, then RM_* environment variables, then defaults.
import { defineOptions } from '@ensemble/common';

export const AGENT_OPTIONS = defineOptions([
  { name: 'host', env: 'RM_HOST', type: 'string', default: '127.0.0.1', description: 'address to listen on' },
  { name: 'port', env: 'RM_PORT', type: 'int', default: 5051, min: 0, max: 65535, description: 'gRPC port of the agent API (task output); 0: any free port' },
  { name: 'admin-port', env: 'RM_ADMIN_PORT', type: 'int', default: 8051, min: 0, max: 65535, description: 'admin HTTP port: /metrics, /healthz, /status' },
  { name: 'advertise-host', env: 'RM_ADVERTISE_HOST', type: 'string', description: 'host masters reach this agent at (default: --host)' },
  { name: 'hostname', env: 'RM_HOSTNAME', type: 'string', description: 'hostname shown in offers (default: the OS hostname)' },
  { name: 'coord', env: 'RM_COORD', type: 'string', default: '127.0.0.1:2181', description: 'coordination servers, host:port,host:port' },
  { name: 'coord-root', env: 'RM_COORD_ROOT', type: 'string', default: '/rm', description: 'znode under which the masters elect (<root>/masters)' },
  { name: 'session-timeout', env: 'RM_SESSION_TIMEOUT', type: 'duration', default: '10s', min: 100, description: 'coordination session timeout' },
  { name: 'work-dir', env: 'RM_WORK_DIR', type: 'string', default: '/tmp/rm-agent', description: 'sandboxes, checkpoints and the agent id live here' },
  { name: 'resources', env: 'RM_RESOURCES', type: 'string', default: '', description: "override detected resources, e.g. 'cpus:2;mem:1GiB;disk:10GiB;ports:[31000-31999]'" },
  { name: 'attributes', env: 'RM_ATTRIBUTES', type: 'string', default: '', description: "attributes shown in offers, e.g. 'rack:a;zone:z1'" },
  { name: 'isolation', env: 'RM_ISOLATION', type: 'enum', choices: ['auto', 'none'] as const, default: 'auto', description: 'auto: cgroups (v2, else v1) when writable; none: run tasks unisolated' },
  { name: 'cgroup-parent', env: 'RM_CGROUP_PARENT', type: 'string', default: 'ensemble', description: 'parent cgroup of the task cgroups' },
  { name: 'kill-grace-period', env: 'RM_KILL_GRACE_PERIOD', type: 'duration', default: '5s', min: 0, description: 'SIGTERM to SIGKILL for tasks that do not set their own' },
  { name: 'status-update-retry', env: 'RM_STATUS_UPDATE_RETRY', type: 'duration', default: '5s', min: 10, description: 'first resend of a status update its framework has not acknowledged (then doubling)' },
  { name: 'status-update-retry-max', env: 'RM_STATUS_UPDATE_RETRY_MAX', type: 'duration', default: '2m', min: 10, description: 'longest wait between resends of an unacknowledged status update' },
] as const);
