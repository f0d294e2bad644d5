// The TaskInfo (and FrameworkInfo) of every task the agent launched, one JSON file per task under
// `<workDir>/meta/`, written durably (temp, fsync, rename, fsync of the directory) before the
// launch, so that after an agent restart it can re-register with its tasks as the master knows
// them and tell a new leader the frameworks' failover timeouts (Mesos: the agent's meta
// directory). The executor's checkpoints hold only what the runner needs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { rmV1 } from '@ensemble/proto';
import { writeFileDurably } from './durable-file';

export interface TaskMeta {
  readonly frameworkId: string;
  readonly task: rmV1.TaskInfo__Output;
  /** Absent in metas written before frameworks were recorded. */
  readonly framework?: rmV1.FrameworkInfo__Output;
}

export const TASK_META_BYTES_MAX = 256 * 1024;

export class TaskMetaStore {
  private readonly dir: string;

  constructor(workDir: string) {
    this.dir = path.join(workDir, 'meta');
    fs.mkdirSync(this.dir, { recursive: true });
  }

  private file(taskId: string): string {
    // Task ids are validated path components (no '/', not '.' or '..') before they get here.
    return path.join(this.dir, `${taskId}.json`);
  }

  write(meta: TaskMeta): void {
    writeFileDurably(this.file(meta.task.taskId), JSON.stringify(meta));
  }

  read(taskId: string): TaskMeta | undefined {
    try {
      const text = fs.readFileSync(this.file(taskId), 'utf8');
      if (text.length > TASK_META_BYTES_MAX) return undefined;
      return JSON.parse(text) as TaskMeta;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || err instanceof SyntaxError) return undefined;
      throw err;
    }
  }

  remove(taskId: string): void {
    fs.rmSync(this.file(taskId), { force: true });
  }
}
