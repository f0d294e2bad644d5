// Service discovery: each live instance is an ephemeral node `<root>/<service>/<instanceId>`
// holding its data (address, metadata). It disappears when the instance's session ends.
import type { CoordClient } from '../client';
import { CoordError, hasCode } from '../errors';
import { joinPath } from '../path';
import type { Data } from '../types';
import { deleteIfExists } from './recipe-util';

export interface ServiceMember {
  instanceId: string;
  data: Buffer;
}

export interface Registration {
  readonly path: string;
  unregister(): Promise<void>;
}

export class ServiceRegistry {
  constructor(private readonly client: CoordClient, readonly root = '/services') {}

  /** Registers a live instance. Fails with NODE_EXISTS if the id is taken by a live session. */
  async register(service: string, instanceId: string, data: Data): Promise<Registration> {
    const dir = this.serviceDir(service);
    checkName(instanceId, 'instance id');
    await this.client.mkdirp(dir);
    const path = await this.client.create(joinPath(dir, instanceId), data, { mode: 'EPHEMERAL' });
    return { path, unregister: () => deleteIfExists(this.client, path) };
  }

  /** The current members, sorted by instance id. */
  async members(service: string): Promise<ServiceMember[]> {
    const dir = this.serviceDir(service);
    let ids: string[];
    try {
      ids = (await this.client.getAllChildren(dir)).sort();
    } catch (err) {
      if (hasCode(err, 'NO_NODE')) return [];
      throw err;
    }
    const reads = ids.map(async (instanceId) => {
      try {
        return { instanceId, data: (await this.client.getData(joinPath(dir, instanceId))).data };
      } catch (err) {
        if (hasCode(err, 'NO_NODE')) return null; // left between the two reads
        throw err;
      }
    });
    return (await Promise.all(reads)).filter((m): m is ServiceMember => m !== null);
  }

  /**
   * Yields the member list now and again after every change (membership or data). Stop by
   * breaking out of the loop; fails with SESSION_EXPIRED when the session ends.
   */
  async *watch(service: string): AsyncGenerator<ServiceMember[], void, undefined> {
    const dir = this.serviceDir(service);
    // The watch is requested before the first read: requests are answered in order, so no
    // change can fall between the read and the watch.
    const events = this.client.watchEvents(dir, { recursive: true });
    try {
      await events.ready;
      let last: string | null = null;
      for (;;) {
        const members = await this.members(service);
        const key = JSON.stringify(members.map((m) => [m.instanceId, m.data.toString('base64')]));
        if (key !== last) {
          last = key;
          yield members;
        }
        const next = await events.next();
        if (next.done) return;
        events.takeBuffered(); // one read covers the whole burst
      }
    } finally {
      await events.close();
    }
  }

  private serviceDir(service: string): string {
    checkName(service, 'service name');
    return joinPath(this.root, service);
  }
}

function checkName(name: string, what: string): void {
  if (name.length === 0 || name.includes('/') || name === '.' || name === '..') {
    throw new CoordError('BAD_ARGUMENTS', { detail: `bad ${what} ${JSON.stringify(name)}` });
  }
}
