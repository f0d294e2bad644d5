// rmctl: runs one parsed command against the leading master and reports the outcome as an exit code.
import type { rmV1 } from '@ensemble/proto';
import { OperatorClient, findLeader, type LeaderSource } from '../client/operator-client';
import { rmErrorCode } from '../rm-errors';
import { parseArgs, USAGE, type Command, type Invocation } from './args';
import { formatAgents, formatFrameworks, formatTasks } from './format';
import { runTasks } from './run-framework';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  stdout(data: Buffer): void;
  stderr(data: Buffer): void;
  /** Resolves on Ctrl-C. */
  interrupted: Promise<void>;
}

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

export async function runCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: CliIo): Promise<number> {
  const parsed = parseArgs(argv, env);
  if (!parsed.ok) {
    io.err(`rmctl: ${parsed.error}\nRun 'rmctl --help' for usage.`);
    return EXIT_USAGE;
  }
  const inv = parsed.invocation;
  if (inv.command.name === 'help') {
    io.out(USAGE);
    return EXIT_OK;
  }
  const source: LeaderSource = { coord: inv.coord, coordRoot: inv.coordRoot, timeoutMs: inv.timeoutMs, ...(inv.master ? { master: inv.master } : {}) };
  try {
    return await execute(inv, inv.command, source, io);
  } catch (err) {
    const code = rmErrorCode(err);
    const message = (err as { details?: string }).details || (err as Error).message;
    io.err(`Error: ${code ? `${code}: ` : ''}${message}`);
    if (inv.json) io.err(JSON.stringify({ error: code ?? 'ERROR', message }));
    return EXIT_ERROR;
  }
}

async function execute(inv: Invocation, cmd: Command, source: LeaderSource, io: CliIo): Promise<number> {
  if (cmd.name === 'leader') {
    const leader = await findLeader(source);
    if (!leader) throw new Error(`no master is leading (nothing under ${inv.coordRoot}/masters)`);
    io.out(inv.json ? JSON.stringify({ leader }) : leader);
    return EXIT_OK;
  }
  if (cmd.name === 'run') return runTasks(source, { ...cmd, json: inv.json }, io);
  const operator = await OperatorClient.connect(source);
  try {
    return await operate(operator, inv, cmd, io);
  } finally {
    operator.close();
  }
}

async function operate(operator: OperatorClient, inv: Invocation, cmd: Command, io: CliIo): Promise<number> {
  const print = (json: unknown, human: () => string): void => io.out(inv.json ? JSON.stringify(json) : human());
  switch (cmd.name) {
    case 'agents': {
      const res = await operator.call<rmV1.ListAgentsResponse__Output>('ListAgents', {});
      print(res.agents, () => formatAgents(res.agents));
      return EXIT_OK;
    }
    case 'frameworks': {
      const res = await operator.call<rmV1.ListFrameworksResponse__Output>('ListFrameworks', {});
      print(res.frameworks, () => formatFrameworks(res.frameworks));
      return EXIT_OK;
    }
    case 'tasks': {
      const res = await operator.call<rmV1.ListTasksResponse__Output>('ListTasks', { includeCompleted: cmd.all });
      print(res.tasks, () => formatTasks(res.tasks));
      return EXIT_OK;
    }
    case 'kill':
      await operator.call('KillTask', { taskId: cmd.taskId });
      print({ killed: cmd.taskId }, () => `killing ${cmd.taskId}`);
      return EXIT_OK;
    case 'drain':
      await operator.call('DrainAgent', { agentId: cmd.agentId });
      print({ draining: cmd.agentId }, () => `draining ${cmd.agentId}`);
      return EXIT_OK;
    case 'gone':
      await operator.call('MarkAgentGone', { agentId: cmd.agentId });
      print({ gone: cmd.agentId }, () => `agent ${cmd.agentId} marked gone`);
      return EXIT_OK;
    case 'logs':
      return logs(operator, cmd, io);
    default:
      throw new Error(`assertion: unhandled command ${cmd.name}`);
  }
}

async function logs(operator: OperatorClient, cmd: Extract<Command, { name: 'logs' }>, io: CliIo): Promise<number> {
  const stream = cmd.stderr ? 'STDERR' : 'STDOUT';
  const call = operator.readOutput({ taskId: cmd.taskId, stream, offset: cmd.tailBytes > 0 ? -cmd.tailBytes : 0, follow: cmd.follow });
  void io.interrupted.then(() => call.cancel());
  await new Promise<void>((resolve, reject) => {
    call.on('data', (chunk: rmV1.OutputChunk__Output) => io.stdout(chunk.data));
    call.on('end', () => resolve());
    call.on('error', (err: { code?: number }) => (err.code === 1 ? resolve() : reject(err)));
  });
  return EXIT_OK;
}
