import { CoordError } from '../../src/errors';
import type { CoordClient } from '../../src/client';
import { protectedCreate } from '../../src/recipes/recipe-util';

// A stand-in for the client: creates apply, but the first reply can be "lost" (ConnectionLoss
// after the node was made), as when a connection drops between apply and answer.
function fakeClient(opts: { loseReplies: number; failBeforeApply?: boolean }) {
  const children: string[] = [];
  let seq = 0;
  let lose = opts.loseReplies;
  const creates: string[] = [];
  const client = {
    async create(path: string): Promise<string> {
      creates.push(path);
      if (lose > 0 && opts.failBeforeApply) {
        lose--;
        throw new CoordError('CONNECTION_LOSS', { path });
      }
      const actual = `${path}${String(seq++).padStart(10, '0')}`;
      children.push(actual.slice(actual.lastIndexOf('/') + 1));
      if (lose > 0) {
        lose--;
        throw new CoordError('CONNECTION_LOSS', { path });
      }
      return actual;
    },
    async getAllChildren(): Promise<string[]> {
      return children.slice();
    },
    async whenConnected(): Promise<void> {},
  };
  return { client: client as unknown as CoordClient, children, creates };
}

describe('protectedCreate (Curator: withProtection)', () => {
  it('finds its own node after a lost reply instead of creating a second one', async () => {
    const { client, children, creates } = fakeClient({ loseReplies: 1 });
    const path = await protectedCreate(client, '/locks', 'lock-', 'g1', undefined, 'EPHEMERAL_SEQUENTIAL');
    expect(path).toBe('/locks/_c_g1-lock-0000000000');
    expect(children).toEqual(['_c_g1-lock-0000000000']);
    expect(creates).toHaveLength(1);
  });

  it('creates again when the lost request never applied', async () => {
    const { client, children, creates } = fakeClient({ loseReplies: 1, failBeforeApply: true });
    const path = await protectedCreate(client, '/locks', 'lock-', 'g2', undefined, 'EPHEMERAL_SEQUENTIAL');
    expect(path).toBe('/locks/_c_g2-lock-0000000000');
    expect(children).toHaveLength(1);
    expect(creates).toHaveLength(2);
  });

  it('gives up with CONNECTION_LOSS after a bounded number of attempts', async () => {
    const { client } = fakeClient({ loseReplies: 100, failBeforeApply: true });
    await expect(protectedCreate(client, '/locks', 'lock-', 'g3', undefined, 'EPHEMERAL_SEQUENTIAL')).rejects.toMatchObject({ code: 'CONNECTION_LOSS' });
  });

  it('passes other errors through', async () => {
    const client = { create: async () => Promise.reject(new CoordError('NO_NODE', { path: '/locks' })) } as unknown as CoordClient;
    await expect(protectedCreate(client, '/locks', 'lock-', 'g4', undefined, 'EPHEMERAL_SEQUENTIAL')).rejects.toMatchObject({ code: 'NO_NODE' });
  });
});
