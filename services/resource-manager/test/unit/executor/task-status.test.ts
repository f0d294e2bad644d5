import { decideOutcome, decideRecoveredOutcome, describeExit, ExitFacts } from '../../../src/agent/executor/task-status';

const base: ExitFacts = { killRequested: false, oomKilled: false, memBytes: 64 * 1024 * 1024 };

describe('decideOutcome', () => {
  it('exit 0 is FINISHED', () => {
    expect(decideOutcome({ ...base, recordedExitCode: 0, wrapperExitCode: 0 })).toMatchObject({ state: 'FINISHED', exitCode: 0 });
  });

  it('a non-zero exit is FAILED with the code', () => {
    expect(decideOutcome({ ...base, recordedExitCode: 3, wrapperExitCode: 3 })).toEqual({
      state: 'FAILED',
      reason: 'REASON_COMMAND_EXECUTOR_FAILED',
      message: 'command exited with status 3',
      exitCode: 3,
    });
  });

  it('an OOM kill is FAILED with the memory-limitation reason, even though the code is 137', () => {
    expect(decideOutcome({ ...base, recordedExitCode: 137, wrapperExitCode: 137, oomKilled: true })).toMatchObject({
      state: 'FAILED',
      reason: 'REASON_CONTAINER_LIMITATION_MEMORY',
      exitCode: 137,
    });
  });

  it('a requested kill is KILLED whatever the exit (clean exit on SIGTERM, or SIGKILL of the wrapper)', () => {
    expect(decideOutcome({ ...base, killRequested: true, recordedExitCode: 0, wrapperExitCode: 0 })).toMatchObject({ state: 'KILLED', exitCode: 0 });
    expect(decideOutcome({ ...base, killRequested: true, wrapperExitCode: null, wrapperSignal: 'SIGKILL' })).toMatchObject({ state: 'KILLED', signal: 'SIGKILL' });
  });

  it('prefers the status the wrapper recorded over the wrapper exit', () => {
    expect(decideOutcome({ ...base, recordedExitCode: 5, wrapperExitCode: null, wrapperSignal: 'SIGKILL' })).toMatchObject({ state: 'FAILED', exitCode: 5 });
  });

  it('the wrapper failing to join the cgroup is a launch failure', () => {
    expect(decideOutcome({ ...base, wrapperExitCode: 125 })).toMatchObject({ state: 'FAILED', reason: 'REASON_CONTAINER_LAUNCH_FAILED' });
    // The same code from the command itself is an ordinary failure.
    expect(decideOutcome({ ...base, recordedExitCode: 125, wrapperExitCode: 125 })).toMatchObject({ reason: 'REASON_COMMAND_EXECUTOR_FAILED' });
  });

  it('a wrapper killed by someone else is FAILED, executor terminated', () => {
    expect(decideOutcome({ ...base, wrapperExitCode: null, wrapperSignal: 'SIGKILL' })).toMatchObject({ state: 'FAILED', reason: 'REASON_EXECUTOR_TERMINATED', signal: 'SIGKILL' });
  });
});

describe('decideRecoveredOutcome', () => {
  it('uses the recorded status of a task that ended while the agent was down', () => {
    expect(decideRecoveredOutcome({ ...base, recordedExitCode: 4 }, 'NO_PROCESS')).toMatchObject({ state: 'FAILED', exitCode: 4 });
    expect(decideRecoveredOutcome({ ...base, recordedExitCode: 0 }, 'ZOMBIE')).toMatchObject({ state: 'FINISHED' });
  });

  it('is LOST, executor terminated, when nothing tells how it ended', () => {
    expect(decideRecoveredOutcome(base, 'PID_REUSED')).toMatchObject({ state: 'LOST', reason: 'REASON_EXECUTOR_TERMINATED' });
    expect(decideRecoveredOutcome(base, 'REBOOTED')).toMatchObject({ state: 'LOST', message: 'the host rebooted since the task was launched' });
  });

  it('still knows an OOM kill or a kill that was asked for', () => {
    expect(decideRecoveredOutcome({ ...base, oomKilled: true }, 'NO_PROCESS')).toMatchObject({ state: 'FAILED', reason: 'REASON_CONTAINER_LIMITATION_MEMORY' });
    expect(decideRecoveredOutcome({ ...base, killRequested: true }, 'NO_PROCESS')).toMatchObject({ state: 'KILLED' });
  });
});

describe('describeExit', () => {
  it('reads a shell status over 128 as death by signal', () => {
    expect(describeExit(143, undefined)).toBe('command terminated by signal 15 (status 143)');
    expect(describeExit(1, undefined)).toBe('command exited with status 1');
    expect(describeExit(undefined, 'SIGKILL')).toBe('terminated by SIGKILL');
  });
});
