import { ensembleFingerprint, parseServers, resolveServerId } from '../../../src/ensemble/ensemble-config';

test('parses id@host:peerPort:clientPort lists, sorted by id', () => {
  const r = parseServers('2@10.0.0.2:2888:2181, 1@coord-0.coord.ns.svc:2888:2181,3@[::1]:2890:0');
  expect(r).toEqual({
    ok: true,
    value: [
      { id: 1, host: 'coord-0.coord.ns.svc', peerPort: 2888, clientPort: 2181 },
      { id: 2, host: '10.0.0.2', peerPort: 2888, clientPort: 2181 },
      { id: 3, host: '::1', peerPort: 2890, clientPort: 0 },
    ],
  });
});

test('refuses malformed lists with a reason', () => {
  const bad = ['', '1@h:1', 'x@h:1:2', '0@h:1:2', '256@h:1:2', '1@h:0:2', '1@h:1:70000', '1@:1:2', '1@h:1:2,1@g:3:4',
    '1@h:1:2,2@h:1:3', '1@[::1:1:2', 'h:1:2'];
  for (const text of bad) {
    const r = parseServers(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.length).toBeGreaterThan(0);
  }
});

test('--server-id auto is the StatefulSet ordinal plus one', () => {
  expect(resolveServerId('auto', 'coord-0')).toEqual({ ok: true, value: 1 });
  expect(resolveServerId('auto', 'coord-2.coord.default.svc.cluster.local')).toEqual({ ok: true, value: 3 });
  expect(resolveServerId('AUTO', 'my-coord-14')).toEqual({ ok: true, value: 15 });
  expect(resolveServerId('auto', 'laptop').ok).toBe(false);
  expect(resolveServerId('7', 'whatever')).toEqual({ ok: true, value: 7 });
  expect(resolveServerId('0', 'x').ok).toBe(false);
});

test('the fingerprint names the member ids, whatever the order or addresses', () => {
  const a = parseServers('1@a:1:1,2@b:2:2,3@c:3:3');
  const b = parseServers('3@x:9:9,1@y:8:8,2@z:7:7');
  if (!a.ok || !b.ok) throw new Error('parse failed');
  expect(ensembleFingerprint(a.value)).toBe('1,2,3');
  expect(ensembleFingerprint(b.value)).toBe('1,2,3');
});
