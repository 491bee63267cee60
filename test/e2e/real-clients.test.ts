// End-to-end with real clients from Debian: telnet(1) logs in and runs commands; hydra finds the
// camera's factory credential. Each is skipped, saying so, when the client is not installed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startHachi, type RunningHachi } from './hachi-process.ts';
import { CAMERA } from './personas.ts';

const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

let hachi: RunningHachi;
before(async () => {
  hachi = await startHachi([{ name: 'camera', persona: CAMERA.id, loginFailureDelayMs: 0 }]);
});
after(async () => {
  await hachi.stop();
});

test('Debian telnet logs in and runs commands', { skip: has('telnet') ? false : 'telnet is not installed' }, async () => {
  const port = hachi.ports.get('camera')!;
  const child = spawn('telnet', ['127.0.0.1', String(port)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('latin1')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('latin1')));
  const waitFor = async (pattern: RegExp): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (!pattern.test(output)) {
      if (Date.now() > deadline) throw new Error(`telnet: timeout waiting for ${String(pattern)}; got ${JSON.stringify(output)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await waitFor(/login: $/);
  child.stdin.write(`${CAMERA.username}\n`);
  await waitFor(/Password: $/);
  child.stdin.write(`${CAMERA.password}\n`);
  await waitFor(/# (\x1b\[6n)?$/);
  child.stdin.write('uname -m; echo marker-$((6*7))\n');
  await waitFor(/marker-42/);
  child.stdin.write('exit\n');
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.match(output, /armv7l/);
  assert.match(output, /Connection closed by foreign host/);
  assert.ok(code !== null);
});

test('hydra finds the camera factory credential', { skip: has('hydra') ? false : 'hydra is not installed' }, async () => {
  const port = hachi.ports.get('camera')!;
  // Default pairs as Mirai tries them. One task per pair: hydra 9.4's telnet module reads its next
  // pair without waiting and sends an empty user name on a reused connection (a race in hydra
  // itself, seen with -d), which BusyBox login answers with a new prompt that hydra counts as a failure.
  const pairs = [['root', 'vizxv'], ['admin', 'admin'], ['root', 'admin'], ['root', '888888'], [CAMERA.username, CAMERA.password], ['root', 'default'], ['support', 'support'], ['root', 'root']];
  const list = join(hachi.dataDir, 'pairs.txt');
  await writeFile(list, pairs.map(([u, p]) => `${u}:${p}`).join('\n') + '\n');
  // hydra hands pairs to its tasks dynamically, so a task can still get a second pair and hit the
  // race above: a run that misses is retried (at most three runs), and every run must end.
  let output = '';
  for (let run = 1; run <= 3; run++) {
    output = await runHydra(list, pairs.length, port);
    if (/1 valid password found/.test(output)) break;
  }
  assert.match(output, new RegExp(`login: ${CAMERA.username}\\s+password: ${CAMERA.password}`), output);
  assert.match(output, /1 valid password found/, output);
  const attempts = await hachi.cli(['events', '--type', 'auth.attempt', '--json']);
  assert.ok(attempts.stdout.includes(`"password":"${CAMERA.password}","success":true`), attempts.stdout);
});

async function runHydra(list: string, tasks: number, port: number): Promise<string> {
  // -I: no restore file from an earlier run; cwd: hydra writes one there when a task is slow.
  const child = spawn('hydra', ['-I', '-C', list, '-t', String(tasks), '-s', String(port), '127.0.0.1', 'telnet'], { cwd: hachi.dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  // hydra exits 255 when one of its tasks was still waiting at the end, even after a find.
  assert.ok(code === 0 || code === 255, output);
  return output;
}
