import type { rmV1 } from '@ensemble/proto';
import { UpdateOutbox } from '../../../src/master/update-outbox';

const status = (taskId: string, uuid: string, state: rmV1.TaskState__Output = 'TASK_RUNNING'): rmV1.TaskStatus__Output => ({
  taskId,
  frameworkId: 'f1',
  agentId: 'a1',
  state,
  reason: 'REASON_UNSPECIFIED',
  message: '',
  signal: '',
  timestampMs: 0,
  uuid,
  source: uuid ? 'SOURCE_EXECUTOR' : 'SOURCE_MASTER',
});

describe('a framework\'s update outbox', () => {
  it('keeps agents\' updates until acknowledged, in arrival order; a resend keeps its place', () => {
    const outbox = new UpdateOutbox(10);
    outbox.put(status('t1', 'a'));
    outbox.put(status('t2', 'b'));
    outbox.put(status('t1', 'a'));
    expect(outbox.all().map((s) => s.uuid)).toEqual(['a', 'b']);
    outbox.delivered(status('t1', 'a'));
    expect(outbox.size).toBe(2);
    expect(outbox.acknowledge('a')).toBe(true);
    expect(outbox.all().map((s) => s.uuid)).toEqual(['b']);
  });

  it('keeps the master\'s own latest update per task until it is delivered', () => {
    const outbox = new UpdateOutbox(10);
    outbox.put(status('t1', '', 'TASK_UNREACHABLE'));
    outbox.put(status('t2', 'x'));
    outbox.put(status('t1', '', 'TASK_RUNNING'));
    expect(outbox.all().map((s) => `${s.taskId}:${s.state}`)).toEqual(['t2:TASK_RUNNING', 't1:TASK_RUNNING']);
    outbox.delivered(outbox.all()[1]);
    expect(outbox.size).toBe(1);
  });

  it('is bounded: the oldest goes first', () => {
    const outbox = new UpdateOutbox(2);
    expect(outbox.put(status('t1', 'a'))).toBeUndefined();
    outbox.put(status('t2', 'b'));
    expect(outbox.put(status('t3', 'c'))?.uuid).toBe('a');
    expect(outbox.all().map((s) => s.uuid)).toEqual(['b', 'c']);
  });
});
