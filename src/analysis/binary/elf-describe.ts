// Builds the one-line, file(1)-style description of a parsed ELF ("ELF 32-bit LSB executable, ARM,
// EABI5, ARMv7-A, version 1 (SYSV), statically linked, stripped").
import type { MipsFlags } from './elf-flags.ts';

/** The parts of an ElfReport the description uses (kept structural to avoid an import cycle). */
export interface DescribableElf {
  readonly bits: 32 | 64 | null;
  readonly endian: 'little' | 'big' | null;
  readonly osAbi: { readonly name: string } | null;
  readonly type: { readonly value: number; readonly name: string } | null;
  readonly machine: { readonly name: string } | null;
  readonly arm: { readonly eabiVersion: number; readonly floatAbi: string | null; readonly architecture: string | null } | null;
  readonly mips: MipsFlags | null;
  readonly linking: 'static' | 'dynamic' | 'unknown';
  readonly interpreter: string | null;
  readonly stripped: boolean | null;
  readonly debugInfo: boolean;
  readonly sectionCount: number | null;
}

export function describeElf(e: DescribableElf, version: number | null): string {
  const parts: string[] = [];
  parts.push(`ELF ${e.bits ?? '?'}-bit ${e.endian === 'big' ? 'MSB' : 'LSB'} ${typeWord(e)}`);
  const machine = [e.machine?.name ?? 'unknown machine'];
  if (e.arm !== null) {
    machine.push(e.arm.eabiVersion === 0 ? 'OABI' : `EABI${e.arm.eabiVersion}`);
    if (e.arm.architecture !== null) machine.push(e.arm.architecture);
    if (e.arm.floatAbi !== null) machine.push(`${e.arm.floatAbi}-float`);
  }
  if (e.mips !== null) machine.push(e.mips.isa, e.mips.abi ?? 'unknown ABI');
  parts.push(machine.join(', '));
  parts.push(`version ${version ?? '?'} (${e.osAbi?.name ?? '?'})`);
  if (e.linking === 'static') parts.push('statically linked');
  else if (e.linking === 'dynamic') parts.push('dynamically linked');
  if (e.interpreter !== null) parts.push(`interpreter ${e.interpreter}`);
  if (e.debugInfo) parts.push('with debug_info');
  if (e.stripped === true) parts.push('stripped');
  else if (e.stripped === false) parts.push('not stripped');
  else if (e.sectionCount === null || e.sectionCount === 0) parts.push('no section header');
  return parts.join(', ');
}

function typeWord(e: DescribableElf): string {
  switch (e.type?.name) {
    case 'REL': return 'relocatable';
    case 'EXEC': return 'executable';
    case 'DYN': return e.interpreter !== null ? 'pie executable' : 'shared object';
    case 'CORE': return 'core file';
    case undefined: return 'file (type unreadable)';
    default: return `file of type 0x${(e.type?.value ?? 0).toString(16)}`;
  }
}
