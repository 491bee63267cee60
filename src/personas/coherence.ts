// Cross-checks a persona's observables against each other: bots compare uname, /proc/cpuinfo, the
// ELF header of /bin/busybox, users and processes, and a single disagreement gives a honeypot away.
import type { FsTree } from '../core/persona.ts';
import type { PackYaml } from './schema.ts';

interface ArchRule {
  readonly pattern: RegExp;
  readonly machine: number;
  readonly bits: 32 | 64;
  /** null: either (MIPS reports "mips" for both byte orders). */
  readonly endian: 'little' | 'big' | null;
  /** What /proc/cpuinfo must contain for this uname; `$1` is the architecture digit from uname. */
  readonly cpuinfo: (uname: string) => readonly RegExp[];
}

const ARCH_RULES: readonly ArchRule[] = [
  {
    pattern: /^armv([4-7])\w*l$/,
    machine: 40,
    bits: 32,
    endian: 'little',
    cpuinfo: (uname) => {
      const v = /^armv(\d)/.exec(uname)?.[1] ?? '';
      return [new RegExp(`\\(v${v}l\\)`), new RegExp(`CPU architecture:\\s*${v}`)];
    },
  },
  { pattern: /^aarch64$/, machine: 183, bits: 64, endian: 'little', cpuinfo: () => [/CPU architecture:\s*8/] },
  { pattern: /^mips$/, machine: 8, bits: 32, endian: null, cpuinfo: () => [/^system type\s*:/m, /^cpu model\s*:/m] },
  { pattern: /^mips64$/, machine: 8, bits: 64, endian: null, cpuinfo: () => [/^system type\s*:/m, /^cpu model\s*:/m] },
  { pattern: /^x86_64$/, machine: 62, bits: 64, endian: 'little', cpuinfo: () => [/^vendor_id\s*:/m] },
  { pattern: /^i[3-6]86$/, machine: 3, bits: 32, endian: 'little', cpuinfo: () => [/^vendor_id\s*:/m] },
  { pattern: /^ppc$/, machine: 20, bits: 32, endian: 'big', cpuinfo: () => [/^cpu\s*:/m] },
];

export function checkCoherence(pack: PackYaml, tree: FsTree, file: string): string[] {
  const problems: string[] = [];
  const { uname, elf } = pack.arch;
  const rule = ARCH_RULES.find((r) => r.pattern.test(uname));
  if (!rule) {
    problems.push(`${file}: arch.uname: unknown machine ${JSON.stringify(uname)} (known: armv5tejl, armv7l, aarch64, mips, mips64, x86_64, i686, ppc)`);
  } else {
    if (elf.machine !== rule.machine) problems.push(`${file}: arch.elf.machine: ${elf.machine} does not match uname "${uname}" (expected ${rule.machine})`);
    if (elf.bits !== rule.bits) problems.push(`${file}: arch.elf.bits: ${elf.bits} does not match uname "${uname}" (expected ${rule.bits})`);
    if (rule.endian !== null && elf.endian !== rule.endian) {
      problems.push(`${file}: arch.elf.endian: "${elf.endian}" does not match uname "${uname}" (expected "${rule.endian}")`);
    }
    const cpuinfo = text(tree, '/proc/cpuinfo');
    if (cpuinfo === null) problems.push(`${file}: fs/proc/cpuinfo: missing (bots read it to pick a binary)`);
    else {
      for (const expected of rule.cpuinfo(uname)) {
        if (!expected.test(cpuinfo)) problems.push(`${file}: fs/proc/cpuinfo: does not match uname "${uname}" (no ${String(expected)})`);
      }
    }
  }
  if (elf.machine === 40 && ![4, 5].includes(elf.flags >>> 24)) {
    problems.push(`${file}: arch.elf.flags: ARM Linux binaries are EABI4/5 (0x04...... or 0x05......), got 0x${elf.flags.toString(16)}`);
  }
  if (elf.machine === 8 && elf.bits === 32 && (elf.flags & 0xf000) !== 0x1000) {
    problems.push(`${file}: arch.elf.flags: 32-bit MIPS Linux binaries use the o32 ABI (flag 0x1000), got 0x${elf.flags.toString(16)}`);
  }

  const passwdUsers = users(text(tree, '/etc/passwd'));
  if (passwdUsers === null) problems.push(`${file}: fs/etc/passwd: missing`);
  else {
    for (const [i, c] of pack.credentials.accepted.entries()) {
      if (!passwdUsers.has(c.username)) problems.push(`${file}: credentials.accepted[${i}].username: "${c.username}" is not in /etc/passwd`);
    }
    for (const [i, p] of pack.processes.entries()) {
      if (!passwdUsers.has(p.user) && !/^\d+$/.test(p.user)) problems.push(`${file}: processes[${i}].user: "${p.user}" is not in /etc/passwd`);
    }
    const shadowUsers = users(text(tree, '/etc/shadow'));
    for (const user of shadowUsers ?? []) {
      if (!passwdUsers.has(user)) problems.push(`${file}: fs/etc/shadow: user "${user}" is not in /etc/passwd`);
    }
  }
  const processNames = new Set(pack.processes.map((p) => basename(p.command)));
  for (const [i, s] of pack.network.listening.entries()) {
    if (!processNames.has(s.program)) problems.push(`${file}: network.listening[${i}].program: no process "${s.program}" in processes`);
  }
  if (tree.get(pack.shell.home)?.kind !== 'dir') problems.push(`${file}: shell.home: "${pack.shell.home}" is not a directory of the pack`);
  const pids = new Set<number>();
  for (const [i, p] of pack.processes.entries()) {
    if (pids.has(p.pid)) problems.push(`${file}: processes[${i}].pid: ${p.pid} is used twice`);
    pids.add(p.pid);
  }
  return problems;
}

function text(tree: FsTree, path: string): string | null {
  const node = tree.get(path);
  return node?.kind === 'file' ? new TextDecoder().decode(node.data) : null;
}

function users(content: string | null): Set<string> | null {
  if (content === null) return null;
  return new Set(content.split('\n').filter((l) => l.includes(':')).map((l) => l.slice(0, l.indexOf(':'))));
}

/** Program name of a ps COMMAND column: "/usr/bin/Sofia" and "{Sofia} x" both give "Sofia". */
function basename(command: string): string {
  const first = command.replace(/^[[{]/, '').split(/[\s\]}]/)[0] ?? '';
  return first.slice(first.lastIndexOf('/') + 1);
}
