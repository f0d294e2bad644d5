// rmctl's human output: aligned tables. Pure.
import type { rmV1 } from '@ensemble/proto';
import { describeResources } from '../resource-codec';

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

const shortState = (state: string) => state.replace(/^(TASK_|AGENT_)/, '');

export function formatAgents(agents: rmV1.AgentSummary__Output[]): string {
  return table(
    ['ID', 'HOSTNAME', 'ADDRESS', 'STATE', 'CONNECTED', 'TASKS', 'TOTAL', 'USED'],
    agents.map((a) => [
      a.info?.agentId ?? '',
      a.info?.hostname ?? '',
      a.info?.address ?? '',
      shortState(a.state),
      a.connected ? 'yes' : 'no',
      String(a.activeTasks),
      describeResources(a.info?.resources),
      describeResources(a.used),
    ]),
  );
}

export function formatFrameworks(frameworks: rmV1.FrameworkSummary__Output[]): string {
  return table(
    ['ID', 'NAME', 'ROLE', 'CONNECTED', 'TASKS', 'OFFERS', 'USED', 'SHARE'],
    frameworks.map((f) => [
      f.info?.frameworkId ?? '',
      f.info?.name ?? '',
      f.info?.role ?? '',
      f.connected ? 'yes' : 'no',
      String(f.activeTasks),
      String(f.offersOutstanding),
      describeResources(f.used),
      f.dominantShare.toFixed(3),
    ]),
  );
}

export function formatTasks(tasks: rmV1.TaskSummary__Output[]): string {
  return table(
    ['ID', 'NAME', 'STATE', 'AGENT', 'FRAMEWORK', 'RESOURCES', 'EXIT', 'MESSAGE'],
    tasks.map((t) => [
      t.info?.taskId ?? '',
      t.info?.name ?? '',
      shortState(t.state),
      t.agentId,
      t.frameworkId,
      describeResources(t.info?.resources),
      t.lastStatus?.exitCode !== undefined ? String(t.lastStatus.exitCode) : '',
      t.lastStatus?.message ?? '',
    ]),
  );
}

export function formatStatus(status: rmV1.TaskStatus__Output): string {
  const exit = status.exitCode !== undefined ? ` exit=${status.exitCode}` : '';
  const reason = status.reason && status.reason !== 'REASON_UNSPECIFIED' ? ` ${status.reason}` : '';
  const message = status.message ? `: ${status.message}` : '';
  return `task ${status.taskId} ${status.state}${reason}${exit}${status.agentId ? ` on ${status.agentId}` : ''}${message}`;
}
