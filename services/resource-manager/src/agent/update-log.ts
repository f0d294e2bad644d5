// The status update manager's durable log (Mesos: the agent's task.updates file): one file per
// task, `<workDir>/meta/updates/<taskId>.log`, one JSON record per line — an update before it is
// sent, an acknowledgement before the next update travels — each appended with fsync. After a
// crash the log is replayed; a torn last line (the crash hit mid-append) is ignored, since the
// record it held was never acted on.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { rmV1 } from '@ensemble/proto';
import { appendDurably, writeFileDurably } from './durable-file';

/** A status update as the agent keeps it: always with its task, framework, state and uuid. */
export type AgentStatus = rmV1.TaskStatus & { taskId: string; frameworkId: string; state: rmV1.TaskState__Output; uuid: string };

export type LogRecord = { readonly update: AgentStatus } | { readonly ack: string };

export interface ParsedLog {
  readonly records: LogRecord[];
  /** Lines that could not be read, from the first bad one on (a torn tail is one line). */
  readonly badLines: number;
}

const SUFFIX = '.log';
/** Largest log file replayed: a task's log holds a few records, each well under a kilobyte. */
export const UPDATE_LOG_BYTES_MAX = 16 * 1024 * 1024;

function isStatus(value: unknown): value is AgentStatus {
  const v = value as Partial<AgentStatus> | null;
  return typeof v === 'object' && v !== null && typeof v.taskId === 'string' && v.taskId !== '' && typeof v.uuid === 'string' && v.uuid !== '' && typeof v.state === 'string' && typeof v.frameworkId === 'string';
}

/** Pure: the records of a log's text, stopping at the first line that is not a whole record. */
export function parseLog(text: string): ParsedLog {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const records: LogRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    let value: unknown;
    try {
      value = JSON.parse(lines[i]);
    } catch {
      return { records, badLines: lines.length - i };
    }
    const v = value as { update?: unknown; ack?: unknown };
    if (isStatus(v?.update)) records.push({ update: v.update });
    else if (typeof v?.ack === 'string' && v.ack !== '') records.push({ ack: v.ack });
    else return { records, badLines: lines.length - i };
  }
  return { records, badLines: 0 };
}

/** Pure: the updates in order and the uuids acknowledged, as UpdateStreams.restore takes them. */
export function replayLog(records: readonly LogRecord[]): { updates: AgentStatus[]; acked: Set<string> } {
  const updates: AgentStatus[] = [];
  const acked = new Set<string>();
  for (const record of records) {
    if ('update' in record) updates.push(record.update);
    else acked.add(record.ack);
  }
  return { updates, acked };
}

export class UpdateLog {
  readonly dir: string;

  constructor(workDir: string) {
    this.dir = path.join(workDir, 'meta', 'updates');
    fs.mkdirSync(this.dir, { recursive: true });
  }

  private file(taskId: string): string {
    // Task ids are validated path components before any update is made for them.
    return path.join(this.dir, `${taskId}${SUFFIX}`);
  }

  append(taskId: string, record: LogRecord): void {
    appendDurably(this.file(taskId), `${JSON.stringify(record)}\n`);
  }

  /** Every task's log. Files too large to trust are reported, not replayed. */
  readAll(): { logs: Map<string, ParsedLog>; invalid: Array<{ file: string; message: string }> } {
    const logs = new Map<string, ParsedLog>();
    const invalid: Array<{ file: string; message: string }> = [];
    for (const name of fs.readdirSync(this.dir).filter((n) => n.endsWith(SUFFIX)).sort()) {
      const file = path.join(this.dir, name);
      if (fs.statSync(file).size > UPDATE_LOG_BYTES_MAX) {
        invalid.push({ file, message: `larger than ${UPDATE_LOG_BYTES_MAX} bytes` });
        continue;
      }
      logs.set(name.slice(0, -SUFFIX.length), parseLog(fs.readFileSync(file, 'utf8')));
    }
    return { logs, invalid };
  }

  /** Replaces a log with these records: after a torn tail, so that the next append starts a fresh line. */
  rewrite(taskId: string, records: readonly LogRecord[]): void {
    writeFileDurably(this.file(taskId), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }

  remove(taskId: string): void {
    fs.rmSync(this.file(taskId), { force: true });
  }
}
