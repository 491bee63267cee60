// TCP listener: bind errors reported, per-source limits enforced over real loopback sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { createConnectionGate } from './connection-gate.ts';
import { listenTcp, type RefusedConnection } from './tcp-listener.ts';

test('a port in use is reported, not thrown', async () => {
  const gate = createConnectionGate({ perSource: 10, total: 10 });
  const first = await listenTcp({ host: '127.0.0.1', port: 0, gate, onConnection: (s) => s.end(), onRefused: () => undefined, acceptors: 4 });
  assert.ok(first.ok);
  const second = await listenTcp({ host: '127.0.0.1', port: first.listener.port, gate, onConnection: (s) => s.end(), onRefused: () => undefined, acceptors: 4 });
  assert.equal(second.ok, false);
  if (!second.ok) {
    assert.equal(second.code, 'EADDRINUSE');
    assert.match(second.message, /already in use/);
  }
  await first.listener.close();
});

test('the per-source limit refuses extra connections and releases slots on close', async () => {
  const gate = createConnectionGate({ perSource: 2, total: 100 });
  const refused: RefusedConnection[] = [];
  const held: Socket[] = [];
  const result = await listenTcp({ host: '127.0.0.1', port: 0, gate, onConnection: (s) => held.push(s), onRefused: (r) => refused.push(r), acceptors: 4 });
  assert.ok(result.ok);
  const port = result.listener.port;
  const clients = [connect(port, '127.0.0.1'), connect(port, '127.0.0.1'), connect(port, '127.0.0.1')];
  await Promise.all(clients.map((c) => once(c, 'connect')));
  // Any one of the three is refused: several acceptors may take them in any order.
  await Promise.race(clients.map((c) => once(c, 'close')));
  assert.equal(refused.length, 1);
  assert.equal(refused[0]!.limit, 'connections-per-source');
  assert.equal(gate.open(), 2);
  for (const c of clients) c.destroy();
  for (const s of held) s.destroy();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(gate.open(), 0);
  await result.listener.close();
});
