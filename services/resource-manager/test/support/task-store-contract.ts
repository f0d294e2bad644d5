// The behaviour every TaskStore must have; run against the in-memory store (unit) and against
// a real redis-server (integration).
import type { rmV1 } from '@ensemble/proto';
import type { TaskRecord, TaskStore } from '../../src/master/task-store';
import type { TaskStateName } from '../../src/task-state';

export function status(taskId: string, state: TaskStateName, atMs: number, extra: Partial<rmV1.TaskStatus__Output> = {}): rmV1.TaskStatus__Output {
  return { taskId, frameworkId: 'fw', agentId: 'a1', state, reason: 'REASON_UNSPECIFIED', message: '', signal: '', timestampMs: atMs, uuid: '', source: 'SOURCE_MASTER', ...extra };
}

export function record(taskId: string, state: TaskStateName, atMs: number, frameworkId = 'fw'): TaskRecord {
  return {
    taskId,
    frameworkId,
    agentId: 'a1',
    role: '*',
    info: { taskId, name: taskId, agentId: 'a1', resources: null, command: { command: 'shell', shell: 'true', env: {} }, killGracePeriodMs: 0, labels: {}, healthCheck: null },
    state,
    lastStatus: status(taskId, state, atMs),
    createdAtMs: atMs,
    updatedAtMs: atMs,
  };
}

async function advance(store: TaskStore, r: TaskRecord, state: TaskStateName, atMs: number, extra: Partial<rmV1.TaskStatus__Output> = {}): Promise<TaskRecord> {
  const s = status(r.taskId, state, atMs, extra);
  const next = { ...r, state, lastStatus: s, updatedAtMs: atMs };
  await store.update(next, s);
  return next;
}

export function taskStoreContract(name: string, open: () => Promise<TaskStore>): void {
  describe(`${name} task store`, () => {
    let store: TaskStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    test('a task keeps its record and its status history in order', async () => {
      let r = record('t1', 'TASK_STAGING', 1);
      await store.create(r);
      r = await advance(store, r, 'TASK_STARTING', 2);
      r = await advance(store, r, 'TASK_RUNNING', 3);
      await advance(store, r, 'TASK_FAILED', 4, { exitCode: 3, message: 'exit 3' });
      expect(await store.get('t1')).toMatchObject({ taskId: 't1', state: 'TASK_FAILED', lastStatus: { exitCode: 3 }, createdAtMs: 1, updatedAtMs: 4 });
      expect((await store.history('t1')).map((s) => s.state)).toEqual(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_FAILED']);
      expect(await store.get('missing')).toBeUndefined();
    });

    test('live tasks are listed first; finished ones only when asked, newest first', async () => {
      for (const id of ['a', 'b', 'c', 'd']) await store.create(record(id, 'TASK_STAGING', id.charCodeAt(0)));
      await advance(store, record('a', 'TASK_STAGING', 97), 'TASK_FINISHED', 200);
      await advance(store, record('c', 'TASK_STAGING', 99), 'TASK_KILLED', 300);
      expect((await store.listActive()).map((r) => r.taskId).sort()).toEqual(['b', 'd']);
      expect((await store.list({ includeCompleted: false, limit: 100 })).map((r) => r.taskId)).toEqual(['b', 'd']);
      expect((await store.list({ includeCompleted: true, limit: 100 })).map((r) => r.taskId)).toEqual(['b', 'd', 'c', 'a']);
      expect((await store.list({ includeCompleted: true, limit: 3 })).map((r) => r.taskId)).toEqual(['b', 'd', 'c']);
    });

    test('listing filters by framework', async () => {
      await store.create(record('x1', 'TASK_RUNNING', 1, 'fw-x'));
      await store.create(record('y1', 'TASK_RUNNING', 2, 'fw-y'));
      expect((await store.list({ includeCompleted: true, frameworkId: 'fw-y', limit: 10 })).map((r) => r.taskId)).toEqual(['y1']);
    });

    test('history is bounded per task (oldest dropped)', async () => {
      let r = record('h', 'TASK_STAGING', 0);
      await store.create(r);
      for (let i = 1; i <= 80; i++) r = await advance(store, r, 'TASK_RUNNING', i, { message: `beat ${i}` });
      const history = await store.history('h');
      expect(history.length).toBe(64);
      expect(history[history.length - 1].message).toBe('beat 80');
    });
  });
}
