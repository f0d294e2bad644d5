// A task's command between its wire form (CommandInfo) and the executor's (TaskCommand). Pure.
import type { rmV1 } from '@ensemble/proto';
import type { TaskCommand } from './agent/executor';

/** The executor's command form, or why the wire command is malformed. */
export function toCommand(command: rmV1.CommandInfo__Output | null | undefined): TaskCommand | string {
  if (!command) return 'task has no command';
  if (command.command === 'shell') return { shell: command.shell ?? '' };
  if (command.command === 'argv') return { argv: [...(command.argv?.args ?? [])] };
  return 'command has neither shell nor argv';
}
