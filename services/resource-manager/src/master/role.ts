// What the gRPC handlers see of the master's role: the Leader while leading (and ready), and
// where the leader is otherwise (for redirects).
import type { Leader } from './leader';

export interface MasterRole {
  /** The leader state when this master leads and has recovered; undefined otherwise. */
  leader(): Leader | undefined;
  /** The leading master's address as the detector sees it (never this master's own while standby). */
  leaderAddress(): string | undefined;
  /** Every candidate, leader first. */
  masters(): Array<{ address: string; path: string }>;
  readonly address: string;
}
