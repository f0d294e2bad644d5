import { UpdateStreams } from '../../../src/agent/update-streams';

interface U {
  taskId: string;
  uuid: string;
  state: string;
}

const limits = { updatesPerTaskMax: 4, retryInitialMs: 1000, retryMaxMs: 8000 };
const u = (taskId: string, uuid: string, state: string): U => ({ taskId, uuid, state });

describe('UpdateStreams (Mesos status update manager)', () => {
  it('sends only the head of a task\'s stream; the next travels once the head is acknowledged', () => {
    const streams = new UpdateStreams<U>(limits);
    expect(streams.add(u('t1', 'a', 'TASK_STARTING'))).toMatchObject({ ok: true, head: true });
    expect(streams.add(u('t1', 'b', 'TASK_RUNNING'))).toMatchObject({ ok: true, head: false });
    expect(streams.add(u('t1', 'c', 'TASK_FINISHED'))).toMatchObject({ ok: true, head: false });
    expect(streams.head('t1')?.uuid).toBe('a');
    expect(streams.latest('t1')?.state).toBe('TASK_FINISHED');
    expect(streams.ack('t1', 'b')).toMatchObject({ ok: false, code: 'NOT_HEAD' });
    expect(streams.ack('t1', 'a')).toMatchObject({ ok: true, next: { uuid: 'b' }, done: false });
    expect(streams.ack('t1', 'b')).toMatchObject({ ok: true, next: { uuid: 'c' }, done: false });
    expect(streams.ack('t1', 'c')).toMatchObject({ ok: true, next: undefined, done: true });
    expect(streams.isDone('t1')).toBe(true);
    expect(streams.ack('t1', 'c')).toMatchObject({ ok: false, code: 'UNKNOWN_TASK' });
  });

  it('streams of different tasks are independent', () => {
    const streams = new UpdateStreams<U>(limits);
    streams.add(u('t1', 'a', 'TASK_RUNNING'));
    expect(streams.add(u('t2', 'b', 'TASK_RUNNING'))).toMatchObject({ head: true });
    expect(streams.due(0).map((x) => x.uuid)).toEqual(['a', 'b']);
  });

  it('resends an unacknowledged head with exponential backoff, capped', () => {
    const streams = new UpdateStreams<U>(limits);
    streams.add(u('t1', 'a', 'TASK_RUNNING'));
    const waits: number[] = [];
    let now = 0;
    for (let i = 0; i < 6; i++) {
      streams.sent('t1', now);
      let next = now;
      while (streams.due(next).length === 0) next += 100;
      waits.push(next - now);
      now = next;
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    // A new master link: due at once, and the backoff starts over.
    streams.sent('t1', now);
    streams.resetRetries();
    expect(streams.due(now).map((x) => x.uuid)).toEqual(['a']);
    streams.sent('t1', now);
    expect(streams.due(now + 999)).toEqual([]);
    expect(streams.due(now + 1000)).toHaveLength(1);
  });

  it('an acknowledgement resets the backoff for the next update', () => {
    const streams = new UpdateStreams<U>(limits);
    streams.add(u('t1', 'a', 'TASK_STARTING'));
    streams.add(u('t1', 'b', 'TASK_RUNNING'));
    streams.sent('t1', 0);
    streams.sent('t1', 1000);
    streams.ack('t1', 'a');
    expect(streams.due(1000).map((x) => x.uuid)).toEqual(['b']);
  });

  it('refuses anything after a terminal update', () => {
    const streams = new UpdateStreams<U>(limits);
    streams.add(u('t1', 'a', 'TASK_KILLED'));
    expect(streams.add(u('t1', 'b', 'TASK_RUNNING'))).toMatchObject({ ok: false, code: 'AFTER_TERMINAL' });
    expect(streams.pendingCount('t1')).toBe(1);
  });

  it('past its bound a stream drops its oldest update that is neither the head nor terminal', () => {
    const streams = new UpdateStreams<U>(limits);
    streams.add(u('t1', 'h', 'TASK_RUNNING'));
    streams.add(u('t1', 'x1', 'TASK_RUNNING'));
    streams.add(u('t1', 'x2', 'TASK_RUNNING'));
    streams.add(u('t1', 'x3', 'TASK_RUNNING'));
    expect(streams.add(u('t1', 'end', 'TASK_FINISHED'))).toMatchObject({ ok: true, dropped: { uuid: 'x1' } });
    expect(streams.pendingCount('t1')).toBe(4);
    expect(streams.head('t1')?.uuid).toBe('h');
    expect(streams.latest('t1')?.uuid).toBe('end');
  });

  it('restores a stream from its log: acknowledged updates are not pending again', () => {
    const streams = new UpdateStreams<U>(limits);
    streams.restore('t1', [u('t1', 'a', 'TASK_STARTING'), u('t1', 'b', 'TASK_RUNNING'), u('t1', 'c', 'TASK_FAILED')], new Set(['a']));
    expect(streams.head('t1')?.uuid).toBe('b');
    expect(streams.pendingCount('t1')).toBe(2);
    expect(streams.latest('t1')?.state).toBe('TASK_FAILED');
    streams.restore('t2', [u('t2', 'd', 'TASK_FINISHED')], new Set(['d']));
    expect(streams.isDone('t2')).toBe(true);
    expect(streams.due(0).map((x) => x.uuid)).toEqual(['b']);
  });
});
