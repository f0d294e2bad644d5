// Original file: proto/rm/v1/rm.proto

import type { MasterSummary as _rm_v1_MasterSummary, MasterSummary__Output as _rm_v1_MasterSummary__Output } from '../../rm/v1/MasterSummary';

export interface GetLeaderResponse {
  'leaderAddress'?: (string);
  'masters'?: (_rm_v1_MasterSummary)[];
  'answeredBy'?: (string);
}

export interface GetLeaderResponse__Output {
  'leaderAddress': (string);
  'masters': (_rm_v1_MasterSummary__Output)[];
  'answeredBy': (string);
}
