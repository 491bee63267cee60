// Relay benchmark: what hachi's recording relay costs against connecting to the device directly,
// in the same run: throughput of a 100 MB upload, round-trip latency, and 1,000 concurrent relayed
// sessions. The device stand-in (bench/relay-device.ts) and hachi are separate processes.
// Run: `npx node bench/relay.ts [--quick] [--no-capture] [--link 1gbit]`. With --link (root) the device
// stand-in sits in a network namespace behind a veth pair shaped to that rate, as a real device on its
// own link; without it everything shares loopback and the 2 cores (three busy processes).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { percentile, ProcessGroup, rssMiB } from './bench-processes.ts';
import { createDeviceLink, type DeviceLink } from './device-link.ts';

const quick = process.argv.includes('--quick');
const uploadBytes = (quick ? 20 : 100) * 1024 * 1024;
const roundTrips = quick ? 2000 : 10_000;
const concurrent = quick ? 200 : 1000;
/** `--no-capture`: the relay alone (the capture stops after its first 4 KiB), to see what the capture costs. */
const noCapture = process.argv.includes('--no-capture');
const linkAt = process.argv.indexOf('--link');
const linkRate = linkAt > 0 ? (process.argv[linkAt + 1] ?? '1gbit') : null;

function open(port: number, host = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host }, () => resolve(socket));
    socket.setNoDelay(true);
    socket.once('error', reject);
  });
}

/** Sends `bytes` in 64 KB chunks, half-closes, waits for the sink's count; returns MB/s. */
async function upload(port: number, bytes: number, host = '127.0.0.1'): Promise<number> {
  const socket = await open(port, host);
  const chunk = Buffer.alloc(64 * 1024, 0x5a);
  const started = performance.now();
  const answer = new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString()));
    socket.on('end', () => resolve(text));
  });
  for (let sent = 0; sent < bytes; sent += chunk.length) {
    if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve));
  }
  socket.end();
  const count = Number((await answer).trim());
  const seconds = (performance.now() - started) / 1000;
  socket.destroy();
  if (count !== bytes) throw new Error(`sink counted ${count} of ${bytes} bytes`);
  return bytes / 1024 / 1024 / seconds;
}

/** Round trips of 64 bytes on one connection; returns the latencies in ms. */
async function pingPong(port: number, count: number, host = '127.0.0.1'): Promise<number[]> {
  const socket = await open(port, host);
  const message = Buffer.alloc(64, 0x61);
  const times: number[] = [];
  let waiting: (() => void) | null = null;
  let received = 0;
  socket.on('data', (c: Buffer) => {
    received += c.length;
    if (received >= message.length) {
      received -= message.length;
      waiting?.();
    }
  });
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await new Promise<void>((resolve) => {
      waiting = resolve;
      socket.write(message);
    });
    times.push(performance.now() - started);
  }
  socket.destroy();
  return times;
}

/** `sessions` connections at once, each doing 10 round trips; returns how many completed. */
async function concurrentSessions(port: number, sessions: number): Promise<{ ok: number; failed: number; seconds: number }> {
  const started = performance.now();
  const results = await Promise.allSettled(Array.from({ length: sessions }, () => pingPong(port, 10)));
  return { ok: results.filter((r) => r.status === 'fulfilled').length, failed: results.filter((r) => r.status === 'rejected').length, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const group = new ProcessGroup();
  const dataDir = await mkdtemp(join(tmpdir(), 'hachi-bench-relay-'));
  let link: DeviceLink | null = null;
  try {
    link = linkRate ? await createDeviceLink(linkRate) : null;
    const deviceHost = link?.deviceIp ?? '127.0.0.1';
    const device = await group.startServer(['bench/relay-device.ts', deviceHost], ['echo', 'sink'], link?.exec ?? []);
    const echo = device.ports.get('echo')!;
    const sink = device.ports.get('sink')!;
    const config = {
      sensor: 'bench-relay',
      services: [],
      connections: { perSource: 5000, total: 19_000 },
      devices: [
        {
          name: 'stand-in',
          product: 'bench device',
          firmware: '1.0',
          address: deviceHost,
          maxSessions: 5000,
          maxSessionsPerMinute: 100_000,
          maxCaptureBytes: noCapture ? 4096 : 256 * 1024 * 1024,
          services: [
            { protocol: 'tcp', host: '127.0.0.1', port: 0, devicePort: echo },
            { protocol: 'tcp', host: '127.0.0.1', port: 0, devicePort: sink },
          ],
        },
      ],
    };
    await writeFile(join(dataDir, 'relay.yaml'), stringify(config));
    const hachi = await group.startServer(['src/cli/main.ts', 'run', '--config', join(dataDir, 'relay.yaml'), '--data', dataDir], [`stand-in:${echo}`, `stand-in:${sink}`]);
    const relayEcho = hachi.ports.get(`stand-in:${echo}`)!;
    const relaySink = hachi.ports.get(`stand-in:${sink}`)!;

    const rows: string[][] = [['figure', 'direct', 'through the relay', 'relay/direct']];
    // One warm-up transfer each way first: the first megabytes through a cold process measure the JIT.
    await upload(sink, 8 * 1024 * 1024, deviceHost);
    await upload(relaySink, 8 * 1024 * 1024);
    const direct = await upload(sink, uploadBytes, deviceHost);
    const relayed = await upload(relaySink, uploadBytes);
    const over = linkRate ? `, device on a ${linkRate} link` : ', all on loopback';
    rows.push([`${uploadBytes / 1024 / 1024} MB upload (pcapng capture ${noCapture ? 'off' : 'on'}${over})`, `${direct.toFixed(0)} MB/s`, `${relayed.toFixed(0)} MB/s`, `${((relayed / direct) * 100).toFixed(0)}%`]);
    const directRtt = await pingPong(echo, roundTrips, deviceHost);
    const relayRtt = await pingPong(relayEcho, roundTrips);
    const p = (v: number[], q: number): string => percentile(v, q).toFixed(3);
    rows.push([`round trip, 64 B, ${roundTrips} in a row: p50 / p95 ms`, `${p(directRtt, 50)} / ${p(directRtt, 95)}`, `${p(relayRtt, 50)} / ${p(relayRtt, 95)}`, `+${(percentile(relayRtt, 95) - percentile(directRtt, 95)).toFixed(3)} ms at p95`]);
    const many = await concurrentSessions(relayEcho, concurrent);
    rows.push([`${concurrent} concurrent relayed sessions, 10 round trips each`, '', `${many.ok} ok, ${many.failed} failed in ${many.seconds.toFixed(1)} s`, '']);
    rows.push(['hachi RSS after the runs', '', `${(await rssMiB(hachi.child.pid!)).toFixed(0)} MiB`, '']);

    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    console.log(`\nRelay benchmark (${quick ? 'quick' : 'full'}; ${new Date().toISOString()}; node ${process.version})`);
    for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  |  '));
    await hachi.stop();
    await device.stop(2000);
  } finally {
    group.killAll();
    await link?.remove();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
