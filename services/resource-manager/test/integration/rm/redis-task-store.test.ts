// The Redis task store against a real redis-server (started here on a free port, no persistence).
import { RedisTaskStore } from '../../../src/master/task-store';
import { record, taskStoreContract } from '../../support/task-store-contract';
import { freePort, haveRedis, startRedis, type RedisHandle } from '../../support/redis';

const describeRedis = haveRedis() ? describe : describe.skip;

describeRedis('Redis task store', () => {
  let redis: RedisHandle;
  let url = '';
  let prefixCounter = 0;

  beforeAll(async () => {
    redis = await startRedis();
    url = redis.url;
  });

  afterAll(() => {
    redis?.stop();
  });

  // Each test gets its own key prefix: no state leaks between them.
  taskStoreContract('Redis', () => RedisTaskStore.open({ url, keyPrefix: `t${++prefixCounter}:` }));

  test('a second store on the same Redis (a new leader) sees the tasks at once', async () => {
    const keyPrefix = `shared${++prefixCounter}:`;
    const first = await RedisTaskStore.open({ url, keyPrefix });
    await first.create(record('live', 'TASK_RUNNING', 1));
    await first.create(record('done', 'TASK_FINISHED', 2));
    await first.close();
    const second = await RedisTaskStore.open({ url, keyPrefix });
    expect((await second.listActive()).map((r) => r.taskId)).toEqual(['live']);
    expect(await second.get('done')).toMatchObject({ state: 'TASK_FINISHED' });
    await second.close();
  });

  test('finished tasks are trimmed to completedTasksMax', async () => {
    const store = await RedisTaskStore.open({ url, keyPrefix: `trim${++prefixCounter}:`, limits: { completedTasksMax: 10 } });
    for (let i = 0; i < 128; i++) await store.create(record(`t${i}`, 'TASK_FINISHED', i));
    const kept = await store.list({ includeCompleted: true, limit: 1000 });
    expect(kept.length).toBeLessThanOrEqual(10 + 64);
    expect(kept[0].taskId).toBe('t127');
    expect(await store.get('t0')).toBeUndefined();
    await store.close();
  });

  test('an unreachable Redis is a clear error at start', async () => {
    const port = await freePort();
    await expect(RedisTaskStore.open({ url: `redis://:secret@127.0.0.1:${port}`, connectTimeoutMs: 500 })).rejects.toThrow(/cannot reach the Redis task store at redis:\/\/:\*\*\*@127\.0\.0\.1/);
  });
});
