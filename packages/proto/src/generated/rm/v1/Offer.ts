// Original file: proto/rm/v1/rm.proto

import type { Resources as _rm_v1_Resources, Resources__Output as _rm_v1_Resources__Output } from '../../rm/v1/Resources';

export interface Offer {
  'offerId'?: (string);
  'frameworkId'?: (string);
  'agentId'?: (string);
  'hostname'?: (string);
  'resources'?: (_rm_v1_Resources | null);
  'attributes'?: ({[key: string]: string});
}

export interface Offer__Output {
  'offerId': (string);
  'frameworkId': (string);
  'agentId': (string);
  'hostname': (string);
  'resources': (_rm_v1_Resources__Output | null);
  'attributes': ({[key: string]: string});
}
