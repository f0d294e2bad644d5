// Original file: proto/rm/v1/rm.proto

import type { Argv as _rm_v1_Argv, Argv__Output as _rm_v1_Argv__Output } from '../../rm/v1/Argv';

export interface CommandInfo {
  'shell'?: (string);
  'argv'?: (_rm_v1_Argv | null);
  'env'?: ({[key: string]: string});
  'command'?: "shell"|"argv";
}

export interface CommandInfo__Output {
  'shell'?: (string);
  'argv'?: (_rm_v1_Argv__Output | null);
  'env': ({[key: string]: string});
  'command'?: "shell"|"argv";
}
