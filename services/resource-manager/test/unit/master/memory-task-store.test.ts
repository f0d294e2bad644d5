import { MemoryTaskStore } from '../../../src/master/task-store';
import { record, taskStoreContract } from '../../support/task-store-contract';

taskStoreContract('in-memory', async () => new MemoryTaskStore());

test('the in-memory store keeps at most completedTasksMax finished tasks (oldest finished dropped)', async () => {
  const store = new MemoryTaskStore({ completedTasksMax: 3 });
  for (let i = 0; i < 5; i++) await store.create(record(`t${i}`, 'TASK_FINISHED', i));
  expect((await store.list({ includeCompleted: true, limit: 10 })).map((r) => r.taskId)).toEqual(['t4', 't3', 't2']);
  expect(await store.get('t0')).toBeUndefined();
});
