import { classifyProcess, parseProcStat, ProcStat } from '../../../src/agent/executor/proc-stat';

// A real line from proc(5)'s layout: pid (comm) state ppid pgrp session tty tpgid flags
// minflt cminflt majflt cmajflt utime stime cutime cstime priority nice threads itrealvalue starttime ...
function statLine(pid: number, comm: string, state: string, ppid: number, pgid: number, startTicks: number): string {
  const middle = `${ppid} ${pgid} ${pgid} 0 -1 4194560 120 0 0 0 3 4 0 0 20 0 1 0 ${startTicks}`;
  return `${pid} (${comm}) ${state} ${middle} 5251072 968 18446744073709551615 93874419163136 0 0 17 1 0 0 0 0 0\n`;
}

describe('parseProcStat', () => {
  it('reads pid, comm, state, ppid, pgid and field 22 (starttime)', () => {
    expect(parseProcStat(statLine(3405, 'bash', 'S', 3379, 3405, 48316))).toEqual({
      pid: 3405,
      comm: 'bash',
      state: 'S',
      ppid: 3379,
      pgid: 3405,
      startTimeTicks: 48316,
    });
  });

  it('parses a real /proc line', () => {
    const real = '29902 (cat) R 29899 29899 3405 0 -1 4194304 120 0 0 0 0 0 0 0 20 0 1 0 157780 5251072 222 18446744073709551615';
    expect(parseProcStat(real)).toMatchObject({ pid: 29902, comm: 'cat', state: 'R', ppid: 29899, pgid: 29899, startTimeTicks: 157780 });
  });

  it('keeps spaces in the process name', () => {
    expect(parseProcStat(statLine(7, 'my task name', 'R', 1, 7, 99))).toMatchObject({ comm: 'my task name', state: 'R', startTimeTicks: 99 });
  });

  it('takes the fields after the LAST closing parenthesis, so a name like "a) S 1 (b" cannot forge them', () => {
    const parsed = parseProcStat(statLine(8, 'a) S 1 2 (b', 'Z', 1, 8, 1234));
    expect(parsed).toMatchObject({ comm: 'a) S 1 2 (b', state: 'Z', ppid: 1, pgid: 8, startTimeTicks: 1234 });
  });

  it('keeps parentheses and a trailing ")" in the name', () => {
    expect(parseProcStat(statLine(9, '((x))', 'S', 1, 9, 5))).toMatchObject({ comm: '((x))', startTimeTicks: 5 });
  });

  it('rejects truncated or garbled lines', () => {
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('12 (sh) S 1 12')).toBeUndefined();
    expect(parseProcStat('x (sh) S 1 12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5')).toBeUndefined();
    expect(parseProcStat('12 sh S 1 12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5')).toBeUndefined();
  });
});

describe('classifyProcess (PID-reuse guard)', () => {
  const saved = { pid: 42, startTimeTicks: 1000, bootId: 'boot-a' };
  const stat = (over: Partial<ProcStat>): ProcStat => ({ pid: 42, comm: 'sh', state: 'S', ppid: 1, pgid: 42, startTimeTicks: 1000, ...over });

  it('is alive only with the same boot, pid and start time', () => {
    expect(classifyProcess(saved, 'boot-a', stat({}))).toEqual({ alive: true });
  });

  it('sees a different start time as another process at a reused pid', () => {
    expect(classifyProcess(saved, 'boot-a', stat({ startTimeTicks: 1001 }))).toEqual({ alive: false, why: 'PID_REUSED' });
  });

  it('sees a different boot id as a reboot, whatever is at the pid now', () => {
    expect(classifyProcess(saved, 'boot-b', stat({}))).toEqual({ alive: false, why: 'REBOOTED' });
  });

  it('sees no process, or a zombie, as ended', () => {
    expect(classifyProcess(saved, 'boot-a', undefined)).toEqual({ alive: false, why: 'NO_PROCESS' });
    expect(classifyProcess(saved, 'boot-a', stat({ state: 'Z' }))).toEqual({ alive: false, why: 'ZOMBIE' });
  });
});
