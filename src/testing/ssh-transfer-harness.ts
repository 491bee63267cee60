// A tiny ssh2 server on 127.0.0.1 for SFTP/SCP tests: any password logs in, the `sftp` subsystem
// and `scp` exec requests are served over one shared test-persona Vfs, and a shell sees that Vfs too.
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { serveScp } from '../protocols/ssh/scp-server.ts';
import { serveSftp } from '../protocols/ssh/sftp-server.ts';
import type { TransferLimits, TransferOptions } from '../protocols/ssh/transfer-fs.ts';
import { commands } from '../shell/commands/index.ts';
import { createShellFactory } from '../shell/shell-session.ts';
import { createCowVfs } from '../shell/vfs/cow-vfs.ts';
import type { Vfs } from '../shell/vfs/vfs.ts';
import { FakeDownloads } from './fake-downloads.ts';
import { RecordingEmitter } from './recording-emitter.ts';
import { testPersona, testTree } from './shell-harness.ts';
import { testHostKey } from './ssh-relay-harness.ts';

export const transferLimits: TransferLimits = { maxFileBytes: 1 << 20, maxSessionWriteBytes: 4 << 20, maxOpenHandles: 16 };

export interface TransferServer {
  readonly port: number;
  readonly vfs: Vfs;
  readonly recorder: RecordingEmitter;
  /** Exit statuses of scp requests, in order. */
  readonly scpStatuses: number[];
  /** Runs a line in a shell over the same Vfs and returns its output. */
  shell(line: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTransferServer(limits: TransferLimits = transferLimits): Promise<TransferServer> {
  const clock = { now: () => Date.now() };
  const persona = testPersona(testTree());
  const vfs = createCowVfs(persona.fs, { maxFileBytes: limits.maxFileBytes, maxSessionWriteBytes: limits.maxSessionWriteBytes, maxFiles: 1000 }, clock);
  const recorder = new RecordingEmitter();
  const scpStatuses: number[] = [];
  const options: TransferOptions = { fs: vfs, events: recorder, capture: recorder, limits, home: '/root' };
  const server = new ssh2.Server({ hostKeys: [testHostKey()] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => (ctx.method === 'password' ? ctx.accept() : ctx.reject(['password'])));
    client.on('session', (acceptSession) => {
      const session = acceptSession();
      session.on('sftp', (accept) => void serveSftp(accept(), options));
      session.on('exec', (accept, _reject, info) => {
        const channel = accept();
        const run = serveScp(info.command, channel, options);
        if (run === null) {
          channel.stderr.write(`sh: ${info.command}: not found\n`);
          channel.exit(127);
          channel.end();
          return;
        }
        void run.then((code) => {
          scpStatuses.push(code);
          channel.exit(code);
          channel.end();
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const shellOut: Uint8Array[] = [];
  const factory = createShellFactory({ commands, clock, limits: { maxFileBytes: limits.maxFileBytes, maxSessionWriteBytes: limits.maxSessionWriteBytes, maxOutputBytes: 1 << 20, maxLoopIterations: 1000, maxRecursion: 16 }, createVfs: () => vfs });
  const shell = factory.create({ persona, events: recorder, capture: recorder, downloads: new FakeDownloads(), io: { write: (d) => shellOut.push(typeof d === 'string' ? Buffer.from(d, 'latin1') : d) }, username: 'root' });
  return {
    port: (server.address() as AddressInfo).port,
    vfs,
    recorder,
    scpStatuses,
    shell: async (line) => {
      shellOut.length = 0;
      await shell.runLine(line);
      return Buffer.concat(shellOut).toString('latin1');
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const sshClientOptions = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'PubkeyAuthentication=no'];

/** Runs a client program (sshpass, python3) with a 30 s cap; never through a shell. */
export function runClient(command: string, args: readonly string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('latin1')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('latin1')));
    const timer = setTimeout(() => child.kill(), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}
