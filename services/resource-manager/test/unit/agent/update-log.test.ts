import { parseLog, replayLog } from '../../../src/agent/update-log';

const status = (uuid: string, state: string) => ({ taskId: 't1', frameworkId: 'f1', uuid, state });
const line = (record: object) => `${JSON.stringify(record)}\n`;

describe('the status update log', () => {
  it('replays updates in order and the uuids acknowledged', () => {
    const text = line({ update: status('a', 'TASK_STARTING') }) + line({ ack: 'a' }) + line({ update: status('b', 'TASK_RUNNING') });
    const parsed = parseLog(text);
    expect(parsed.badLines).toBe(0);
    const { updates, acked } = replayLog(parsed.records);
    expect(updates.map((u) => u.uuid)).toEqual(['a', 'b']);
    expect([...acked]).toEqual(['a']);
  });

  it('ignores a torn last line (a crash mid-append): the record it held was never acted on', () => {
    const whole = line({ update: status('a', 'TASK_STARTING') });
    const torn = line({ update: status('b', 'TASK_RUNNING') }).slice(0, 30);
    expect(parseLog(whole + torn)).toMatchObject({ records: [{ update: { uuid: 'a' } }], badLines: 1 });
  });

  it('stops at the first line that is not a whole record', () => {
    const text = line({ update: status('a', 'TASK_STARTING') }) + line({ neither: true }) + line({ ack: 'a' });
    expect(parseLog(text)).toMatchObject({ records: [{ update: { uuid: 'a' } }], badLines: 2 });
    expect(parseLog(line({ update: { taskId: 't1', state: 'TASK_RUNNING' } })).badLines).toBe(1);
  });

  it('an empty log has no records', () => {
    expect(parseLog('')).toEqual({ records: [], badLines: 0 });
  });
});
