// Real scanners and clients against a bare ssh2 Server showing each persona's handshake: nmap -sV
// with ssh2-enum-algos and ssh-hostkey, and OpenSSH's ssh -vvv, must see exactly the persona data.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import ssh2 from 'ssh2';
import type { SshPersona } from '../../core/ssh-persona.ts';
import { enumAlgos } from '../../testing/nmap-ssh.ts';
import { personaSsh, startPersonaSshServer, type RunningPersonaServer } from '../../testing/persona-ssh-server.ts';

const skip = spawnSync('nmap', ['--version']).error || spawnSync('ssh', ['-V']).error ? 'needs nmap and the OpenSSH client' : false;
const STRICT = 'kex-strict-s-v00@openssh.com';

/** Runs a client without blocking the event loop (the server under test lives in this process). */
function run(command: string, args: readonly string[], timeoutMs: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** "ssh -vvv" lines after "peer server KEXINIT proposal", keyed by their label. */
function peerProposal(stderr: string): Record<string, string[]> {
  const lines = stderr.split('\n');
  const start = lines.findIndex((l) => l.includes('peer server KEXINIT proposal'));
  const out: Record<string, string[]> = {};
  for (const line of lines.slice(start + 1, start + 11)) {
    const m = /^debug2: ([^:]+): ?(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined) out[m[1]] = m[2] ? m[2].split(',') : [];
  }
  return out;
}

const md5Fingerprint = (key: Buffer): string => {
  const parsed = ssh2.utils.parseKey(key);
  const one = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!one || one instanceof Error) throw new Error('unparsable host key');
  return createHash('md5').update(one.getPublicSSH()).digest('hex');
};

for (const id of ['xm-ipc-hi3516d', 'rk3308-smart-hub']) {
  describe(`${id}: what scanners and clients see`, { skip }, () => {
    let profile: SshPersona;
    let running: RunningPersonaServer;
    before(async () => {
      profile = await personaSsh(id);
      running = await startPersonaSshServer(profile);
    });
    after(() => running.close());

    test('nmap -sV --script ssh2-enum-algos,ssh-hostkey shows the claimed product, lists and keys', async (t) => {
      const nmap = await run('nmap', ['-sV', '-Pn', '-p', String(running.port), '--script', 'ssh2-enum-algos,ssh-hostkey', '127.0.0.1'], 120_000);
      t.diagnostic(`nmap output for ${id}:\n${nmap.stdout}`);
      assert.equal(nmap.status, 0, nmap.stderr);
      const version = new RegExp(`^${running.port}/tcp\\s+open\\s+ssh\\s+(.+)$`, 'm').exec(nmap.stdout)?.[1];
      assert.equal(version, profile.expected.nmapVersion);
      assert.deepEqual(enumAlgos(nmap.stdout), {
        kex_algorithms: profile.kexinit.kex,
        server_host_key_algorithms: profile.kexinit.serverHostKey,
        encryption_algorithms: profile.kexinit.ciphers,
        mac_algorithms: profile.kexinit.macs,
        compression_algorithms: profile.kexinit.compression,
      });
      const keys = [...nmap.stdout.matchAll(/^\|[_ ]\s+(\d+) ([0-9a-f]{32}) \((\w+)\)$/gm)];
      assert.deepEqual(keys.map((m) => `${m[1]} (${m[3]})`), profile.expected.nmapHostKeys);
      // The keys served are the ones kept on disk for this persona instance.
      assert.deepEqual(keys.map((m) => m[2]).sort(), running.hostKeys.map(md5Fingerprint).sort());
    });

    test('ssh -vvv: identification, the peer KEXINIT proposal in order, no kex-strict, EXT_INFO and auth methods as the persona says', async (t) => {
      const ssh = await run(
        'ssh',
        ['-vvv', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'IdentityFile=/dev/null', '-p', String(running.port), 'root@127.0.0.1', 'true'],
        30_000,
      );
      const text = ssh.stderr;
      assert.match(text, new RegExp(`remote software version ${profile.software.replace(/\./g, '\\.')}\\r?$`, 'm'));
      const peer = peerProposal(text);
      t.diagnostic(`ssh -vvv peer server KEXINIT proposal for ${id}:\n${JSON.stringify(peer, null, 1)}`);
      assert.deepEqual(peer['KEX algorithms'], profile.kexinit.kex);
      assert.deepEqual(peer['host key algorithms'], profile.kexinit.serverHostKey);
      for (const dir of ['ctos', 'stoc']) {
        assert.deepEqual(peer[`ciphers ${dir}`], profile.kexinit.ciphers);
        assert.deepEqual(peer[`MACs ${dir}`], profile.kexinit.macs);
        assert.deepEqual(peer[`compression ${dir}`], profile.kexinit.compression);
      }
      assert.ok(!peer['KEX algorithms']?.includes(STRICT));
      assert.doesNotMatch(text, /strict KEX|kex_strict/i);
      const sigAlgs = /kex_input_ext_info: server-sig-algs=<([^>]*)>/.exec(text)?.[1];
      assert.deepEqual(sigAlgs?.split(',') ?? null, profile.serverSigAlgs);
      // The handshake completes and the server offers the persona's methods, in its order.
      assert.match(text, new RegExp(`Authentications that can continue: ${profile.authMethods.join(',')}\\r?$`, 'm'));
    });
  });
}
