// Decodes the "aeabi" build attributes in an ARM .ARM.attributes section: Tag_CPU_arch tells
// ARMv5TE from ARMv7-A, which e_flags cannot (bots ship arm5/arm6/arm7 builds of the same code).
import { BoundedReader } from './bounded-reader.ts';

export interface ArmAttributes {
  /** Tag_CPU_arch value and name ("ARMv5TE", "ARMv7-A"). */
  readonly cpuArch: number | null;
  readonly cpuArchName: string | null;
  /** Tag_CPU_arch_profile: 'A', 'R', 'M' or 'S' (classic). */
  readonly profile: string | null;
  /** Tag_CPU_name, e.g. "ARM926EJ-S" or "7-A". */
  readonly cpuName: string | null;
  /** Tag_FP_arch name ("VFPv3-D16") or null when absent / 0. */
  readonly fpArch: string | null;
  /** Tag_ABI_VFP_args = 1: arguments in VFP registers (hard-float ABI). */
  readonly hardFloatArgs: boolean;
}

const CPU_ARCH = ['pre-v4', 'v4', 'v4T', 'v5T', 'v5TE', 'v5TEJ', 'v6', 'v6KZ', 'v6T2', 'v6K', 'v7', 'v6-M', 'v6S-M', 'v7E-M', 'v8-A',
  'v8-R', 'v8-M.baseline', 'v8-M.mainline', 'v8.1-A', 'v8.2-A', 'v8.3-A', 'v8.1-M.mainline', 'v9-A'];
const FP_ARCH = ['', 'VFPv1', 'VFPv2', 'VFPv3', 'VFPv3-D16', 'VFPv4', 'VFPv4-D16', 'FP-ARMv8', 'FPv5/FP-D16 for ARMv8'];
const TAG_FILE = 1;
const TAG_CPU_NAME = 5;
const TAG_CPU_ARCH = 6;
const TAG_CPU_ARCH_PROFILE = 7;
const TAG_FP_ARCH = 10;
const TAG_ABI_VFP_ARGS = 28;
const TAG_COMPATIBILITY = 32;
/** Attribute records parsed per section at most; a real file has a few dozen. */
const MAX_RECORDS = 1024;

/** Parses the section contents; returns null when it is not an "A"-format attributes section. */
export function parseArmAttributes(data: Uint8Array, little: boolean, problems: string[]): ArmAttributes | null {
  if (data.length < 1 || data[0] !== 0x41) {
    if (data.length > 0) problems.push('.ARM.attributes does not start with format version "A"');
    return null;
  }
  const r = new BoundedReader(data, little);
  const values = new Map<number, number | string>();
  let records = 0;
  let pos = 1;
  while (pos + 4 <= data.length && records < MAX_RECORDS) {
    const declared = r.u32(pos) ?? 0;
    if (declared < 5) {
      problems.push(`.ARM.attributes subsection at ${pos} has bad length ${declared}`);
      break;
    }
    const end = Math.min(pos + declared, data.length);
    if (pos + declared > data.length) problems.push(`.ARM.attributes subsection at ${pos} is truncated`);
    const vendor = r.cstring(pos + 4, end, 64) ?? '';
    if (vendor === 'aeabi') records += readVendorSection(r, pos + 4 + vendor.length + 1, end, values, MAX_RECORDS - records);
    pos = end;
  }
  const arch = values.get(TAG_CPU_ARCH);
  const profileValue = values.get(TAG_CPU_ARCH_PROFILE);
  const profile = typeof profileValue === 'number' && profileValue > 0 ? String.fromCharCode(profileValue) : null;
  const fp = values.get(TAG_FP_ARCH);
  const cpuName = values.get(TAG_CPU_NAME);
  return {
    cpuArch: typeof arch === 'number' ? arch : null,
    cpuArchName: typeof arch === 'number' ? archName(arch, profile) : null,
    profile,
    cpuName: typeof cpuName === 'string' ? cpuName : null,
    fpArch: typeof fp === 'number' && fp > 0 ? (FP_ARCH[fp] ?? `FP arch ${fp}`) : null,
    hardFloatArgs: values.get(TAG_ABI_VFP_ARGS) === 1,
  };
}

function archName(arch: number, profile: string | null): string {
  const base = CPU_ARCH[arch];
  if (base === undefined) return `ARM architecture ${arch}`;
  const withProfile = base === 'v7' && profile !== null && /^[ARM]$/.test(profile) ? `${base}-${profile}` : base;
  return `ARM${withProfile}`;
}

/** Reads the sub-subsections of one vendor subsection; only file-scope attributes (Tag_File) count. */
function readVendorSection(r: BoundedReader, start: number, end: number, out: Map<number, number | string>, budget: number): number {
  let pos = start;
  let records = 0;
  while (pos + 5 <= end && records < budget) {
    const tag = r.u8(pos) ?? 0;
    const size = r.u32(pos + 1) ?? 0;
    if (size < 5) break;
    const stop = Math.min(pos + size, end);
    if (tag === TAG_FILE) {
      let p = pos + 5;
      while (p < stop && records < budget) {
        const t = uleb(r, p, stop);
        if (t === undefined) break;
        p = t.next;
        records++;
        if (t.value === TAG_COMPATIBILITY) {
          const flag = uleb(r, p, stop);
          if (flag === undefined) break;
          p = flag.next;
        }
        if (takesString(t.value)) {
          const s = r.cstring(p, stop, 256) ?? '';
          if (!out.has(t.value)) out.set(t.value, s);
          p = skipString(r, p, stop);
        } else {
          const v = uleb(r, p, stop);
          if (v === undefined) break;
          if (!out.has(t.value)) out.set(t.value, v.value);
          p = v.next;
        }
      }
    }
    pos = stop;
  }
  return Math.max(records, 1);
}

/** Tags whose value is a NUL-terminated string (ARM IHI 0045: names, conformance, odd tags > 32). */
function takesString(tag: number): boolean {
  return tag === 4 || tag === 5 || tag === 32 || tag === 65 || tag === 67 || (tag > 32 && tag % 2 === 1);
}

function skipString(r: BoundedReader, p: number, stop: number): number {
  let i = p;
  while (i < stop && r.bytes[i] !== 0) i++;
  return i + 1;
}

function uleb(r: BoundedReader, at: number, stop: number): { value: number; next: number } | undefined {
  let value = 0;
  let shift = 0;
  for (let p = at; p < stop && shift < 35; p++, shift += 7) {
    const b = r.bytes[p] ?? 0;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return { value, next: p + 1 };
  }
  return undefined;
}
