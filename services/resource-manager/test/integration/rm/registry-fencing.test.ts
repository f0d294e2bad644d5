// Registry writes are fenced by the writer's election znode: once a master's session is gone
// (and with it its ephemeral election znode), its writes fail and change nothing.
import * as path from 'node:path';
import { freeTmpDir, type ServiceProcess, type TmpDir } from '@ensemble/common';
import { CoordClient } from '@ensemble/coord-client';
import { AgentRegistry, RegistryEntry } from '../../../src/master/agent-registry';
import { startCoord } from '../../support/rm-cluster';

let dir: TmpDir;
let coord: ServiceProcess;
let address = '';

beforeAll(async () => {
  dir = freeTmpDir('rm-fence');
  coord = await startCoord(path.join(dir.path, 'coord'));
  address = `127.0.0.1:${coord.ready.clientPort}`;
});

afterAll(async () => {
  await coord?.stop();
  dir?.cleanup();
});

const entry = (state: RegistryEntry['state']): RegistryEntry => ({
  agentId: 'agent-1',
  info: { agentId: 'agent-1', hostname: 'h', address: '127.0.0.1:1', resources: null, attributes: {}, isolation: 'none: test' },
  state,
  registeredAtMs: 1,
  updatedAtMs: 2,
});

test('a deposed master cannot write the registry', async () => {
  const reader = await CoordClient.connect(address, { sessionTimeoutMs: 5000 });
  const deposed = await CoordClient.connect(address, { sessionTimeoutMs: 5000 });
  await deposed.mkdirp('/rm/masters');
  const fence = await deposed.create('/rm/masters/n_', 'a', { mode: 'EPHEMERAL_SEQUENTIAL' });
  const registry = new AgentRegistry(deposed, '/rm', fence);
  await registry.init();
  expect(await registry.put(entry('admitted'))).toEqual({ ok: true });
  expect(await registry.put(entry('draining'))).toEqual({ ok: true });
  expect(JSON.parse((await reader.getData('/rm/registry/agents/agent-1')).data.toString()).state).toBe('draining');

  // The election znode goes (as it does when the session expires): every later write is fenced.
  await reader.delete(fence);
  expect(await registry.put(entry('gone'))).toMatchObject({ ok: false, code: 'FENCED' });
  expect(JSON.parse((await reader.getData('/rm/registry/agents/agent-1')).data.toString()).state).toBe('draining');
  expect(await new AgentRegistry(deposed, '/rm', fence).put({ ...entry('admitted'), agentId: 'agent-2' })).toMatchObject({ ok: false, code: 'FENCED' });
  expect(await reader.exists('/rm/registry/agents/agent-2')).toBeNull();
  await deposed.close();
  await reader.close();
});
