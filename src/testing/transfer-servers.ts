// Starts real Debian servers on 127.0.0.1 for the transfer-client tests (tftpd-hpa, pyftpdlib), picks
// free ports, waits until they answer, and stops them (and their forked children) by process group.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';

export const TFTPD = '/usr/sbin/in.tftpd';
export const PYTHON = '/usr/bin/python3';
export const hasTftpd = existsSync(TFTPD);
export const hasPyftpdlib = existsSync(PYTHON) && existsSync('/usr/lib/python3/dist-packages/pyftpdlib');

export interface RunningServer {
  readonly port: number;
  stop(): Promise<void>;
}

export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/** tftpd-hpa serving `dir` read-only (`--secure` chroots names into it). */
export async function startTftpd(dir: string): Promise<RunningServer> {
  const port = await freeUdpPort();
  const child = spawn(TFTPD, ['--foreground', '--listen', '--address', `127.0.0.1:${port}`, '--secure', '--user', 'root', dir], { stdio: 'ignore', detached: true });
  const server = { port, stop: () => stopGroup(child) };
  for (let attempt = 0; attempt < 40; attempt++) {
    if (await tftpAnswers(port)) return server;
  }
  await server.stop();
  throw new Error('tftpd-hpa did not start');
}

/** pyftpdlib with anonymous read access to `dir`. */
export async function startFtpd(dir: string): Promise<RunningServer> {
  const port = await freeTcpPort();
  const child = spawn(PYTHON, ['-m', 'pyftpdlib', '-i', '127.0.0.1', '-p', String(port), '-d', dir], { stdio: 'ignore', detached: true });
  const server = { port, stop: () => stopGroup(child) };
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await tcpGreets(port)) return server;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await server.stop();
  throw new Error('pyftpdlib did not start');
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGTERM'); // the group: tftpd forks one child per transfer
  } catch {
    child.kill('SIGTERM');
  }
  await exited;
}

/** Any reply to an RRQ for a missing file means the server is up. */
function tftpAnswers(port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    const done = (up: boolean): void => {
      clearTimeout(timer);
      socket.close(() => resolve(up));
    };
    const timer = setTimeout(() => done(false), 100);
    socket.on('message', () => done(true));
    socket.on('error', () => done(false));
    socket.send(Buffer.from('\x00\x01no-such-probe-file\x00octet\x00', 'latin1'), port, '127.0.0.1');
  });
}

function tcpGreets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(500, () => socket.destroy());
    socket.once('data', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('close', () => resolve(false));
    socket.once('error', () => socket.destroy());
  });
}
