// Every shipped pack loads and passes check, and each is coherent across what bots compare:
// uname ↔ ELF header of /bin/busybox ↔ /proc/cpuinfo, hostname everywhere, applet links, users.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { HachiError } from '../core/errors.ts';
import type { FsTree, PersonaView } from '../core/persona.ts';
import { checkPersonaPack, loadPersonaPack, loadPersonaPacks, summarisePersona } from './load-pack.ts';

const ROOT = fileURLToPath(new URL('../../personas', import.meta.url));
const started = performance.now();
const personas = await loadPersonaPacks(ROOT);
const loadMs = performance.now() - started;
const scratch = mkdtempSync(join(tmpdir(), 'hachi-personas-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const text = (fs: FsTree, path: string): string => {
  const node = fs.get(path);
  assert.ok(node?.kind === 'file', `${path} is a file`);
  return new TextDecoder().decode(node.data);
};

/** Follows symlinks (relative or absolute) to the final path, as the kernel would. */
function resolveLink(fs: FsTree, path: string): string {
  for (let hops = 0; hops < 8; hops++) {
    const node = fs.get(path);
    if (node?.kind !== 'symlink') return path;
    const base = node.target.startsWith('/') ? [] : path.split('/').slice(1, -1);
    for (const part of node.target.split('/')) {
      if (part === '..') base.pop();
      else if (part !== '' && part !== '.') base.push(part);
    }
    path = `/${base.join('/')}`;
  }
  throw new Error(`symlink loop at ${path}`);
}

test('three packs ship, differing in device class and CPU, loaded in under a second', () => {
  assert.equal(personas.length, 3);
  assert.equal(new Set(personas.map((p) => p.deviceClass)).size, 3);
  assert.equal(new Set(personas.map((p) => `${p.arch.uname}/${p.arch.elf.machine}/${p.arch.elf.bits}`)).size, 3);
  assert.ok(loadMs < 1000, `loading took ${loadMs.toFixed(0)} ms`);
  const camera = personas.find((p) => p.deviceClass === 'ip-camera');
  assert.equal(camera?.arch.uname, 'armv7l');
  assert.equal(personas.find((p) => p.deviceClass === 'router')?.arch.elf.machine, 8);
});

for (const persona of personas) {
  const { fs } = persona;
  const check = (name: string, fn: (p: PersonaView) => void | Promise<void>): void => {
    test(`${persona.id}: ${name}`, () => fn(persona));
  };

  check('passes persona check', async () => {
    assert.deepEqual(await checkPersonaPack(join(ROOT, persona.id)), { ok: true, problems: [] });
  });

  check('uname machine, ELF header of /bin/busybox and /bin/echo, and /proc/cpuinfo agree', (p) => {
    const busybox = fs.get('/bin/busybox');
    assert.ok(busybox?.kind === 'file');
    const h = busybox.data;
    assert.deepEqual([...h.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46]);
    assert.equal(h[4], p.arch.elf.bits === 64 ? 2 : 1);
    assert.equal(h[5], p.arch.elf.endian === 'little' ? 1 : 2);
    const view = new DataView(h.buffer, h.byteOffset);
    assert.equal(view.getUint16(18, p.arch.elf.endian === 'little'), p.arch.elf.machine);
    assert.equal(resolveLink(fs, '/bin/echo'), '/bin/busybox');
    const cpuinfo = text(fs, '/proc/cpuinfo');
    const expected: Record<number, RegExp> = { 40: /ARMv7 Processor.*\(v7l\)/, 8: /^system type\s*:/m, 183: /CPU architecture: 8/ };
    assert.match(cpuinfo, expected[p.arch.elf.machine] ?? /^$/);
    assert.match(p.arch.uname, { 40: /^armv\d/, 8: /^mips$/, 183: /^aarch64$/ }[p.arch.elf.machine] ?? /^$/);
  });

  check('hostname agrees in YAML, /etc/hostname, /proc/sys/kernel/hostname and the login prompt', (p) => {
    assert.equal(text(fs, '/etc/hostname').trim(), p.hostname);
    assert.equal(text(fs, '/proc/sys/kernel/hostname').trim(), p.hostname);
    assert.ok(p.telnet.loginPrompt.includes('{hostname}'));
  });

  check('/proc/version and /proc/sys/kernel agree with the kernel of uname', (p) => {
    assert.ok(text(fs, '/proc/version').startsWith(`Linux version ${p.kernel.release} (`));
    assert.ok(text(fs, '/proc/version').trimEnd().endsWith(p.kernel.version));
    assert.equal(text(fs, '/proc/sys/kernel/osrelease').trim(), p.kernel.release);
  });

  check('every applet has a link resolving to /bin/busybox, and the binary names its version', (p) => {
    assert.ok(p.busybox.applets.length > 20);
    assert.deepEqual([...p.busybox.applets], [...p.busybox.applets].sort());
    for (const applet of p.busybox.applets) {
      const links = ['/bin', '/sbin', '/usr/bin', '/usr/sbin'].filter((d) => fs.get(`${d}/${applet}`)?.kind === 'symlink');
      assert.equal(links.length, 1, `${applet} is linked exactly once`);
      assert.equal(resolveLink(fs, `${links[0]}/${applet}`), '/bin/busybox', applet);
    }
    for (const needed of ['sh', 'echo', 'cat', 'wget', 'tftp', 'ps']) assert.ok(p.busybox.applets.includes(needed), needed);
    assert.match(p.busybox.buildLine, new RegExp(`^BusyBox v${p.busybox.version.replaceAll('.', '\\.')} \\(.+\\) multi-call binary\\.$`));
    const busybox = fs.get('/bin/busybox');
    assert.ok(busybox?.kind === 'file' && Buffer.from(busybox.data).includes(p.busybox.buildLine));
  });

  check('every node has its parent directory, and bots find writable places', () => {
    for (const path of fs.keys()) {
      if (path === '/') continue;
      const parent = path.slice(0, path.lastIndexOf('/')) || '/';
      assert.equal(fs.get(parent)?.kind, 'dir', `parent of ${path}`);
    }
    const mounts = text(fs, '/proc/mounts');
    assert.match(mounts, /^proc \/proc proc /m);
    assert.match(mounts, / \/tmp (tmpfs|ramfs) rw/);
    assert.equal(fs.get('/tmp')?.kind, 'dir');
    assert.match(text(fs, '/proc/meminfo'), /^MemTotal:\s+\d+ kB$/m);
    assert.ok(fs.get('/dev/null')?.kind === 'device');
  });

  check('credentials, /etc/passwd, /etc/shadow and the process list agree', (p) => {
    const users = new Set(text(fs, '/etc/passwd').split('\n').filter(Boolean).map((l) => l.split(':')[0]));
    for (const c of p.credentials.accepted) assert.ok(users.has(c.username), c.username);
    if (fs.has('/etc/shadow')) {
      for (const line of text(fs, '/etc/shadow').split('\n').filter(Boolean)) assert.ok(users.has(line.split(':')[0]), line);
    }
    assert.ok(p.processes.some((proc) => /(^|\/)telnetd\b/.test(proc.command)));
    assert.ok(p.network.listening.some((s) => s.local.endsWith(':23') && s.program === 'telnetd'));
  });

  check('telnet negotiation is BusyBox telnetd\'s DO ECHO, DO NAWS, WILL ECHO, WILL SGA', (p) => {
    assert.deepEqual([...p.telnet.negotiation], [0xff, 0xfd, 0x01, 0xff, 0xfd, 0x1f, 0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03]);
  });

  check('summary lists id, class, arch and services', (p) => {
    const s = summarisePersona(p);
    assert.equal(s.id, p.id);
    assert.ok(s.services.includes('tcp/23 telnetd'));
    assert.match(s.arch, new RegExp(`^${p.arch.uname} \\(ELF${p.arch.elf.bits} `));
  });
}

function brokenCopy(name: string, change: (dir: string) => void): string {
  const dir = join(scratch, name);
  cpSync(join(ROOT, 'xm-ipc-hi3516d'), dir, { recursive: true, verbatimSymlinks: true });
  change(dir);
  return dir;
}

test('check reports incoherent packs with file and key path', async () => {
  const dir = brokenCopy('mips-elf-on-arm', (d) => {
    const file = join(d, 'persona.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('machine: 40', 'machine: 8'));
    writeFileSync(join(d, 'fs/etc/hostname'), 'other-host\n');
    mkdirSync(join(d, 'fs/bin'));
    writeFileSync(join(d, 'fs/bin/busybox'), 'not generated');
  });
  const result = await checkPersonaPack(dir);
  assert.equal(result.ok, false);
  const all = result.problems.join('\n');
  assert.match(all, /mips-elf-on-arm\/persona\.yaml: arch\.elf\.machine: 8 does not match uname "armv7l" \(expected 40\)/);
  assert.match(all, /mips-elf-on-arm\/fs\/etc\/hostname: disagrees with persona\.yaml/);
  assert.match(all, /mips-elf-on-arm\/fs\/bin\/busybox: generated from persona\.yaml/);
});

test('cpuinfo that contradicts uname is a problem', async () => {
  const dir = brokenCopy('cpuinfo-mips', (d) => writeFileSync(join(d, 'fs/proc/cpuinfo'), 'system type\t\t: RTL8196C\ncpu model\t\t: 52481\n'));
  const result = await checkPersonaPack(dir);
  assert.match(result.problems.join('\n'), /fs\/proc\/cpuinfo: does not match uname "armv7l"/);
});

test('loading an invalid pack throws HACHI_ERR_PERSONA; a missing one HACHI_ERR_PERSONA_NOT_FOUND', async () => {
  const dir = brokenCopy('bad-class', (d) => {
    const file = join(d, 'persona.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('deviceClass: ip-camera', 'deviceClass: toaster'));
  });
  await assert.rejects(loadPersonaPack(dir), (e: unknown) => e instanceof HachiError && e.code === 'HACHI_ERR_PERSONA' && e.message.includes('deviceClass'));
  await assert.rejects(loadPersonaPacks(scratch), (e: unknown) => e instanceof HachiError && e.code === 'HACHI_ERR_PERSONA');
  await assert.rejects(loadPersonaPack(join(scratch, 'nope')), (e: unknown) => e instanceof HachiError && e.code === 'HACHI_ERR_PERSONA_NOT_FOUND');
});

test('an empty directory in fs/ is a problem, since git would drop it', async () => {
  const dir = brokenCopy('empty-dir', (d) => mkdirSync(join(d, 'fs/opt')));
  const result = await checkPersonaPack(dir);
  assert.match(result.problems.join('\n'), /empty-dir\/fs\/opt: empty directory .*list it in fs\.dirs/);
});
