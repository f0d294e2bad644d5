// The servers `npm run bench -- coord` starts: node flags given for them (--server-node-flags)
// reach every server's process. The bench's module as built is used: it starts the dist/main.js
// beside it.
import { CoordClient } from '@ensemble/coord-client';
import { startStandalone } from '../../../dist/bench/local-ensemble';

test('a server started with node flags serves requests', async () => {
  const servers = await startStandalone({ fsync: false, nodeFlags: ['--max-semi-space-size=32', '--stack-trace-limit=20'] });
  try {
    const client = await CoordClient.connect(servers.connectString, { sessionTimeoutMs: 10_000 });
    await client.create('/flags', Buffer.from('on'));
    expect((await client.getData('/flags')).data.toString()).toBe('on');
    await client.close();
  } finally {
    await servers.stop();
  }
});

test('a flag node does not know stops the start with an error, rather than running without it', async () => {
  await expect(startStandalone({ fsync: false, nodeFlags: ['--no-such-node-flag'] })).rejects.toThrow(/server exited with 9/);
});
