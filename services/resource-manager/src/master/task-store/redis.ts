// The Redis task store (through ioredis): a record per task, its status history as a list, and
// two sorted sets indexing live tasks (by creation) and finished ones (by when they finished).
// Every change is one MULTI, so a reader never sees a task in both indexes or in neither.
// ioredis sends the commands of one connection in order, so updates to a task apply in the
// order the master made them.
import Redis from 'ioredis';
import type { rmV1 } from '@ensemble/proto';
import { DEFAULT_TASK_STORE_LIMITS, TaskStoreLimits } from '../../limits';
import { isTerminalState } from '../../task-state';
import { ListTasksOptions, TaskRecord, TaskStore, decodeRecord, encodeRecord } from './task-store';

export interface RedisTaskStoreOptions {
  readonly url: string;
  /** Prefix of every key; default "rm:". */
  readonly keyPrefix?: string;
  readonly limits?: Partial<TaskStoreLimits>;
  readonly connectTimeoutMs?: number;
  /** Connection trouble after the store opened (ioredis reconnects by itself meanwhile). */
  readonly onError?: (err: Error) => void;
}

const ACTIVE = 'tasks:active';
const COMPLETED = 'tasks:completed';
const MGET_BATCH = 500;
/** Finished tasks are trimmed to the limit once per this many finishes (cheap, slightly lazy). */
const TRIM_EVERY = 64;

const taskKey = (taskId: string) => `task:${taskId}`;
const historyKey = (taskId: string) => `history:${taskId}`;

export class RedisTaskStore implements TaskStore {
  readonly kind = 'redis' as const;
  private finishes = 0;

  private constructor(
    private readonly redis: Redis,
    private readonly limits: TaskStoreLimits,
  ) {}

  /** Connects (failing fast with a clear error) and returns the store. */
  static async open(opts: RedisTaskStoreOptions): Promise<RedisTaskStore> {
    const redis = new Redis(opts.url, {
      keyPrefix: opts.keyPrefix ?? 'rm:',
      lazyConnect: true,
      connectTimeout: opts.connectTimeoutMs ?? 5000,
      maxRetriesPerRequest: 3,
      // No retries while opening: an unreachable store is a start-up error, reported at once.
      retryStrategy: () => null,
      // ioredis keeps a timer this long after disconnecting a socket that never opened.
      disconnectTimeout: 500,
    });
    let lastError: Error | undefined;
    redis.on('error', (err: Error) => {
      lastError = err;
      opts.onError?.(err);
    });
    try {
      await redis.connect();
      await redis.ping();
    } catch (err) {
      redis.disconnect();
      const why = lastError?.message ?? (err as Error).message;
      throw new Error(`cannot reach the Redis task store at ${redactUrl(opts.url)}: ${why}`, { cause: err });
    }
    // Once open, reconnect with a capped backoff (ioredis's default shape).
    redis.options.retryStrategy = (times: number) => Math.min(times * 200, 2000);
    return new RedisTaskStore(redis, { ...DEFAULT_TASK_STORE_LIMITS, ...opts.limits });
  }

  async create(record: TaskRecord): Promise<void> {
    const tx = this.redis.multi().set(taskKey(record.taskId), encodeRecord(record)).del(historyKey(record.taskId)).rpush(historyKey(record.taskId), JSON.stringify(record.lastStatus));
    this.index(tx, record);
    await exec(tx);
    if (isTerminalState(record.state)) await this.maybeTrim();
  }

  async update(record: TaskRecord, status: rmV1.TaskStatus__Output): Promise<void> {
    const tx = this.redis
      .multi()
      .set(taskKey(record.taskId), encodeRecord(record))
      .rpush(historyKey(record.taskId), JSON.stringify(status))
      .ltrim(historyKey(record.taskId), -this.limits.historyPerTaskMax, -1);
    this.index(tx, record);
    await exec(tx);
    if (isTerminalState(record.state)) await this.maybeTrim();
  }

  private index(tx: ReturnType<Redis['multi']>, record: TaskRecord): void {
    if (isTerminalState(record.state)) {
      tx.zrem(ACTIVE, record.taskId).zadd(COMPLETED, record.updatedAtMs, record.taskId);
    } else {
      tx.zrem(COMPLETED, record.taskId).zadd(ACTIVE, 'NX', record.createdAtMs, record.taskId);
    }
  }

  private async maybeTrim(): Promise<void> {
    if (++this.finishes % TRIM_EVERY !== 0) return;
    const excess = (await this.redis.zcard(COMPLETED)) - this.limits.completedTasksMax;
    if (excess <= 0) return;
    const oldest = await this.redis.zrange(COMPLETED, 0, excess - 1);
    if (oldest.length === 0) return;
    await exec(this.redis.multi().zrem(COMPLETED, ...oldest).del(...oldest.map(taskKey), ...oldest.map(historyKey)));
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    const text = await this.redis.get(taskKey(taskId));
    return text === null ? undefined : decodeRecord(text);
  }

  async history(taskId: string): Promise<rmV1.TaskStatus__Output[]> {
    const items = await this.redis.lrange(historyKey(taskId), 0, -1);
    return items.map((text) => JSON.parse(text) as rmV1.TaskStatus__Output);
  }

  async list(opts: ListTasksOptions): Promise<TaskRecord[]> {
    const out: TaskRecord[] = [];
    await this.scan(ACTIVE, false, opts, out);
    if (opts.includeCompleted) await this.scan(COMPLETED, true, opts, out);
    return out;
  }

  /** Pages through one index, newest first when `reverse`, until `out` holds opts.limit tasks. */
  private async scan(index: string, reverse: boolean, opts: ListTasksOptions, out: TaskRecord[]): Promise<void> {
    for (let start = 0; out.length < opts.limit; start += MGET_BATCH) {
      const stop = start + MGET_BATCH - 1;
      const ids = reverse ? await this.redis.zrevrange(index, start, stop) : await this.redis.zrange(index, start, stop);
      if (ids.length === 0) return;
      for (const record of await this.records(ids)) {
        if (out.length >= opts.limit) return;
        if (!opts.frameworkId || record.frameworkId === opts.frameworkId) out.push(record);
      }
      if (ids.length < MGET_BATCH) return;
    }
  }

  async listActive(): Promise<TaskRecord[]> {
    const ids = await this.redis.zrange(ACTIVE, 0, -1);
    const out: TaskRecord[] = [];
    for (let i = 0; i < ids.length; i += MGET_BATCH) out.push(...(await this.records(ids.slice(i, i + MGET_BATCH))));
    return out;
  }

  private async records(ids: string[]): Promise<TaskRecord[]> {
    if (ids.length === 0) return [];
    const texts = await this.redis.mget(...ids.map(taskKey));
    return texts.filter((t): t is string => t !== null).map(decodeRecord);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

async function exec(tx: ReturnType<Redis['multi']>): Promise<void> {
  const results = await tx.exec();
  const failed = results?.find(([err]) => err !== null);
  if (results === null) throw new Error('task store: Redis transaction was aborted');
  if (failed) throw new Error(`task store: Redis command failed: ${(failed[0] as Error).message}`, { cause: failed[0] });
}

/** The URL without its password, for error messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
