// The agent registry in the coordination service (Mesos's registrar): one znode per agent,
// `<root>/registry/agents/<agentId>`, holding its info and state as JSON. Every write is fenced:
// a multi that also checks the writer's own election znode, so a deposed master (whose session,
// and with it that ephemeral znode, is gone) cannot write — its multi fails with NO_NODE.
import { CoordClient, hasCode, joinPath, type MultiOp } from '@ensemble/coord-client';
import type { rmV1 } from '@ensemble/proto';

export type RegistryAgentState = 'admitted' | 'unreachable' | 'draining' | 'gone';

export interface RegistryEntry {
  agentId: string;
  info: rmV1.AgentInfo__Output;
  state: RegistryAgentState;
  registeredAtMs: number;
  updatedAtMs: number;
  /** The writing leader's election sequence number (its term): who wrote this entry. */
  leaderEpoch?: number;
}

export type FencedWriteResult = { ok: true } | { ok: false; code: 'FENCED' | 'CONFLICT'; message: string };

export function agentsDir(root: string): string {
  return joinPath(root, 'registry/agents');
}

export class AgentRegistry {
  readonly dir: string;

  constructor(
    private readonly client: CoordClient,
    root: string,
    /** This master's election znode: every write checks that it still exists. */
    private readonly fencePath: string,
  ) {
    this.dir = agentsDir(root);
  }

  async init(): Promise<void> {
    await this.client.mkdirp(this.dir);
  }

  /** Every agent the registry holds (a new leader's starting point). */
  async list(): Promise<RegistryEntry[]> {
    const names = await this.client.getAllChildren(this.dir);
    const entries: RegistryEntry[] = [];
    for (const name of names.sort()) {
      try {
        entries.push(JSON.parse((await this.client.getData(joinPath(this.dir, name))).data.toString('utf8')) as RegistryEntry);
      } catch (err) {
        if (!hasCode(err, 'NO_NODE')) throw err;
      }
    }
    return entries;
  }

  /** Creates or replaces the agent's znode, fenced. */
  async put(entry: RegistryEntry): Promise<FencedWriteResult> {
    const path = joinPath(this.dir, entry.agentId);
    const data = JSON.stringify(entry);
    const exists = (await this.client.exists(path)) !== null;
    const write: MultiOp = exists ? { type: 'setData', path, data } : { type: 'create', path, data };
    const first = await this.fenced(write);
    if (first.ok || first.code === 'FENCED') return first;
    // Someone created or removed it between our exists and the multi: try the other op once.
    return this.fenced(exists ? { type: 'create', path, data } : { type: 'setData', path, data });
  }

  private async fenced(op: MultiOp): Promise<FencedWriteResult> {
    try {
      await this.client.multi([{ type: 'check', path: this.fencePath }, op]);
      return { ok: true };
    } catch (err) {
      const results = (err as { results?: Array<{ type: string; code?: string }> }).results;
      if (results?.[0]?.type === 'error' && results[0].code === 'NO_NODE') {
        return { ok: false, code: 'FENCED', message: `fenced: election znode ${this.fencePath} is gone` };
      }
      if (hasCode(err, 'NODE_EXISTS', 'NO_NODE')) return { ok: false, code: 'CONFLICT', message: (err as Error).message };
      throw err;
    }
  }
}
