// The master detector (Mesos's ZooKeeperMasterDetector): the leading master is the candidate
// with the lowest sequence number under `<root>/masters`; its znode holds its address. Agents,
// frameworks, rmctl and standby masters (for their redirects) all find the leader this way.
import { EventEmitter } from 'node:events';
import { CoordClient, hasCode, joinPath, sequenceOf, type WatchEvent } from '@ensemble/coord-client';

/** What a master writes into its election znode. */
export interface MasterNodeData {
  address: string;
  hostname: string;
  pid: number;
  startedAtMs: number;
}

export interface MasterNode extends MasterNodeData {
  /** The election znode's path. */
  path: string;
  sequence: number;
}

export function mastersDir(root: string): string {
  return joinPath(root, 'masters');
}

export function encodeMasterData(data: MasterNodeData): string {
  return JSON.stringify(data);
}

export function decodeMasterData(bytes: Buffer): MasterNodeData | undefined {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as Partial<MasterNodeData>;
    if (typeof value.address !== 'string' || value.address === '') return undefined;
    return { address: value.address, hostname: String(value.hostname ?? ''), pid: Number(value.pid ?? 0), startedAtMs: Number(value.startedAtMs ?? 0) };
  } catch {
    // Not our format: treat the node as a candidate without an address (ignored).
    return undefined;
  }
}

/** Every master candidate, leader first (lowest sequence); each data read once. */
export async function readMasters(client: CoordClient, root: string, watch?: (e: WatchEvent) => void): Promise<MasterNode[]> {
  const dir = mastersDir(root);
  let names: string[];
  try {
    names = await client.getAllChildren(dir, watch ? { watch } : {});
  } catch (err) {
    if (hasCode(err, 'NO_NODE')) return [];
    throw err;
  }
  const sorted = names
    .filter((n) => sequenceOf(n) !== null)
    .sort((a, b) => (sequenceOf(a) as number) - (sequenceOf(b) as number));
  const masters: MasterNode[] = [];
  for (const name of sorted) {
    const path = joinPath(dir, name);
    try {
      const data = decodeMasterData((await client.getData(path)).data);
      if (data) masters.push({ ...data, path, sequence: sequenceOf(name) as number });
    } catch (err) {
      if (!hasCode(err, 'NO_NODE')) throw err; // that candidate just left
    }
  }
  return masters;
}

/**
 * Follows the leader: re-reads the candidates whenever the directory changes and emits
 * 'change' (leader or undefined) when the leader's address changes.
 */
export class LeaderDetector extends EventEmitter {
  private leaderNode: MasterNode | undefined;
  private masterList: MasterNode[] = [];
  private stopped = false;
  private reading: Promise<void> | undefined;
  private again = false;
  private readonly onState = (state: string): void => {
    if (state === 'connected') void this.refresh();
  };
  // One listener object, so repeated reads do not pile up watches (the client dedups by listener).
  private readonly onWatch = (event: WatchEvent): void => {
    if (event.type !== 'NONE') void this.refresh();
  };

  constructor(
    private readonly client: CoordClient,
    private readonly root: string,
  ) {
    super();
  }

  get leader(): MasterNode | undefined {
    return this.leaderNode;
  }

  /**
   * The redirect worth following: a standby that has not yet seen a failover still names the old
   * leader (which may be paused and never answer), so a redirect that disagrees with what this
   * detector already knows is dropped.
   */
  followable(redirect: string | undefined): string | undefined {
    const known = this.leaderNode?.address;
    return redirect !== undefined && known !== undefined && redirect !== known ? undefined : redirect;
  }

  get masters(): readonly MasterNode[] {
    return this.masterList;
  }

  async start(): Promise<void> {
    this.client.on('state', this.onState);
    await this.refresh();
  }

  stop(): void {
    this.stopped = true;
    this.client.off('state', this.onState);
  }

  /** Resolves with the leader's address as soon as there is one. */
  async waitForLeader(timeoutMs: number): Promise<string> {
    if (this.leaderNode) return this.leaderNode.address;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('change', onChange);
        reject(new Error(`no leading master under ${mastersDir(this.root)} within ${timeoutMs}ms`));
      }, timeoutMs);
      const onChange = (leader: MasterNode | undefined): void => {
        if (!leader) return;
        clearTimeout(timer);
        this.off('change', onChange);
        resolve(leader.address);
      };
      this.on('change', onChange);
    });
  }

  /** Reads again now (one read at a time; a change during a read triggers one more). */
  refresh(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        await this.readOnce();
      } while (this.again && !this.stopped);
      this.reading = undefined;
    })();
    return this.reading;
  }

  private async readOnce(): Promise<void> {
    if (this.stopped || this.client.state !== 'connected') return;
    let masters: MasterNode[];
    try {
      masters = await readMasters(this.client, this.root, this.onWatch);
    } catch (err) {
      // Connection trouble: the 'connected' state change reads again.
      if (hasCode(err, 'CONNECTION_LOSS', 'SESSION_EXPIRED', 'OPERATION_TIMEOUT')) return;
      throw err;
    }
    if (this.stopped) return;
    // The directory may not exist yet: look again when it does.
    if (masters.length === 0) {
      await this.client.exists(mastersDir(this.root), { watch: this.onWatch }).catch((err: unknown) => {
        // Lost connection: the 'connected' state change reads again.
        if (!hasCode(err, 'CONNECTION_LOSS', 'SESSION_EXPIRED', 'OPERATION_TIMEOUT')) throw err;
      });
    }
    this.masterList = masters;
    const next = masters[0];
    const changed = next?.address !== this.leaderNode?.address || next?.path !== this.leaderNode?.path;
    this.leaderNode = next;
    if (changed) this.emit('change', next);
  }
}
