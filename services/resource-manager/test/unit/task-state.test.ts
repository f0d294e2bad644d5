import { TASK_STATES, checkTransition, decideUpdate, exitCodeFor, isTerminalState, type TaskStateName } from '../../src/task-state';

const TERMINAL: TaskStateName[] = ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE'];
const LIVE: TaskStateName[] = ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_UNREACHABLE'];

describe('task state machine', () => {
  test('terminal states are exactly those of Mesos', () => {
    expect(TASK_STATES.filter(isTerminalState).sort()).toEqual([...TERMINAL].sort());
    for (const s of LIVE) expect(isTerminalState(s)).toBe(false);
  });

  test('a task moves forward through STAGING, STARTING, RUNNING to a terminal state', () => {
    expect(checkTransition('TASK_STAGING', 'TASK_STARTING')).toEqual({ ok: true });
    expect(checkTransition('TASK_STARTING', 'TASK_RUNNING')).toEqual({ ok: true });
    expect(checkTransition('TASK_RUNNING', 'TASK_FINISHED')).toEqual({ ok: true });
    expect(checkTransition('TASK_STAGING', 'TASK_RUNNING')).toEqual({ ok: true }); // STARTING may be skipped
    for (const from of LIVE) for (const to of ['TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_GONE']) expect(checkTransition(from, to).ok).toBe(true);
  });

  test('nothing leaves a terminal state', () => {
    for (const from of TERMINAL) {
      for (const to of TASK_STATES) expect(checkTransition(from, to)).toMatchObject({ ok: false, code: 'ALREADY_TERMINAL' });
    }
  });

  test('live states never go backwards', () => {
    expect(checkTransition('TASK_RUNNING', 'TASK_STARTING')).toMatchObject({ ok: false, code: 'BACKWARDS' });
    expect(checkTransition('TASK_RUNNING', 'TASK_STAGING')).toMatchObject({ ok: false, code: 'BACKWARDS' });
    expect(checkTransition('TASK_STARTING', 'TASK_STAGING')).toMatchObject({ ok: false, code: 'BACKWARDS' });
  });

  test('UNREACHABLE is entered from any live state and left when the agent returns', () => {
    for (const from of ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING'] as const) expect(checkTransition(from, 'TASK_UNREACHABLE').ok).toBe(true);
    expect(checkTransition('TASK_UNREACHABLE', 'TASK_RUNNING').ok).toBe(true);
    expect(checkTransition('TASK_UNREACHABLE', 'TASK_GONE').ok).toBe(true);
  });

  test('ERROR only ends a launch that never reached an agent; unknown states are refused', () => {
    expect(checkTransition('TASK_STAGING', 'TASK_ERROR').ok).toBe(true);
    expect(checkTransition('TASK_RUNNING', 'TASK_ERROR')).toMatchObject({ ok: false, code: 'NOT_FROM_AGENT' });
    expect(checkTransition('TASK_RUNNING', 'TASK_EXPLODED')).toMatchObject({ ok: false, code: 'UNKNOWN_STATE' });
  });

  test('decideUpdate: apply, duplicate resend, or ignore', () => {
    expect(decideUpdate('TASK_STAGING', 'TASK_RUNNING')).toEqual({ action: 'apply', terminal: false });
    expect(decideUpdate('TASK_RUNNING', 'TASK_FINISHED')).toEqual({ action: 'apply', terminal: true });
    expect(decideUpdate('TASK_RUNNING', 'TASK_RUNNING')).toEqual({ action: 'duplicate' });
    expect(decideUpdate('TASK_FINISHED', 'TASK_FINISHED')).toMatchObject({ action: 'ignore' });
    expect(decideUpdate('TASK_RUNNING', 'TASK_STARTING')).toMatchObject({ action: 'ignore' });
  });

  test('decideUpdate: a RUNNING that changes the health verdict is news, not a resend', () => {
    expect(decideUpdate('TASK_RUNNING', 'TASK_RUNNING', true)).toEqual({ action: 'apply', terminal: false });
    expect(decideUpdate('TASK_FINISHED', 'TASK_FINISHED', true)).toMatchObject({ action: 'ignore' });
  });

  test('exit codes rmctl reports', () => {
    expect(exitCodeFor('TASK_FAILED', 3)).toBe(3);
    expect(exitCodeFor('TASK_FINISHED', undefined)).toBe(0);
    expect(exitCodeFor('TASK_KILLED', undefined)).toBe(137);
    expect(exitCodeFor('TASK_ERROR', undefined)).toBe(1);
    expect(exitCodeFor('TASK_KILLED', 143)).toBe(143);
  });
});
