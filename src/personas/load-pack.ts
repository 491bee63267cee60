// Loads persona packs (personas/<id>/persona.yaml + fs/ + optional web.yaml, ssh.yaml) into read-only PersonaViews, and checks them
// for `hachi persona check`. Every problem names the pack's file, the key path and what is wrong.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { HachiError } from '../core/errors.ts';
import type { PersonaView } from '../core/persona.ts';
import { buildTree } from './build-tree.ts';
import { checkCoherence } from './coherence.ts';
import { appletLinks, busyboxBuildLine } from './generated-files.ts';
import { loadSshPersona } from './load-ssh.ts';
import { loadWebPersona } from './load-web.ts';
import { readPackFiles } from './pack-files.ts';
import { parsePackYaml } from './parse-pack-yaml.ts';

export interface PackCheck {
  readonly ok: boolean;
  readonly problems: string[];
}

export interface PersonaSummary {
  readonly id: string;
  readonly name: string;
  readonly deviceClass: PersonaView['deviceClass'];
  /** e.g. "armv7l (ELF32 little-endian, e_machine 40)". */
  readonly arch: string;
  /** Listening sockets as "tcp/23 telnetd". */
  readonly services: string[];
}

const PACK_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

async function inspectPack(dir: string): Promise<{ view: PersonaView | null; problems: string[]; found: boolean }> {
  const id = basename(dir);
  const file = join(dir, 'persona.yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { view: null, problems: [`${file}: cannot read: ${(error as Error).message}`], found: false };
  }
  if (!PACK_ID.test(id)) {
    return { view: null, problems: [`${dir}: pack directory name "${id}" is not a valid persona id (lowercase letters, digits, "-", "_", ".")`], found: true };
  }
  const parsed = parsePackYaml(text, file);
  if (!parsed.ok) return { view: null, problems: parsed.problems, found: true };
  const pack = parsed.pack;
  const problems: string[] = [];
  const raw = await readPackFiles(join(dir, 'fs'), join(dir, 'fs'), problems);
  const fs = buildTree(id, pack, raw, { fs: join(dir, 'fs'), file }, problems);
  problems.push(...checkCoherence(pack, fs, file));
  const web = await loadWebPersona(dir, pack, problems);
  const ssh = await loadSshPersona(dir, problems);
  if (problems.length > 0) return { view: null, problems, found: true };

  const view: PersonaView = {
    id,
    name: pack.name,
    vendor: pack.vendor,
    model: pack.model,
    deviceClass: pack.deviceClass,
    firmware: pack.firmware,
    hostname: pack.hostname,
    arch: pack.arch,
    kernel: { release: pack.kernel.release, version: pack.kernel.version },
    busybox: {
      version: pack.busybox.version,
      buildLine: busyboxBuildLine(pack),
      applets: appletLinks(pack).map((l) => l.applet).sort(),
    },
    telnet: { ...pack.telnet, negotiation: Uint8Array.from(pack.telnet.negotiation.trim().split(/\s+/), (h) => Number.parseInt(h, 16)) },
    shell: pack.shell,
    credentials: pack.credentials,
    processes: pack.processes,
    network: pack.network,
    uptimeSeconds: pack.uptimeSeconds,
    commandOutputs: pack.commandOutputs,
    fs,
    ...(web ? { web } : {}),
    ...(ssh ? { ssh } : {}),
  };
  return { view: deepFreeze(view), problems: [], found: true };
}

/** Validates one pack without throwing: for `hachi persona check DIR`. */
export async function checkPersonaPack(dir: string): Promise<PackCheck> {
  const { problems } = await inspectPack(dir);
  return { ok: problems.length === 0, problems };
}

export async function loadPersonaPack(dir: string): Promise<PersonaView> {
  const { view, problems, found } = await inspectPack(dir);
  if (view) return view;
  throw new HachiError(found ? 'HACHI_ERR_PERSONA' : 'HACHI_ERR_PERSONA_NOT_FOUND', problems.join('\n'));
}

/** Loads every subdirectory of `root` holding a persona.yaml, sorted by id; fails on any invalid pack. */
export async function loadPersonaPacks(root: string): Promise<PersonaView[]> {
  let names: string[];
  try {
    names = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  } catch (error) {
    throw new HachiError('HACHI_ERR_PERSONA_NOT_FOUND', `${root}: cannot read persona directory: ${(error as Error).message}`, { cause: error });
  }
  const dirs: string[] = [];
  for (const name of names) {
    const found = await stat(join(root, name, 'persona.yaml')).then((s) => s.isFile(), () => false);
    if (found) dirs.push(join(root, name));
  }
  const results = await Promise.all(dirs.map((dir) => inspectPack(dir)));
  const problems = results.flatMap((r) => r.problems);
  if (problems.length > 0) throw new HachiError('HACHI_ERR_PERSONA', problems.join('\n'));
  return results.flatMap((r) => (r.view ? [r.view] : []));
}

export function summarisePersona(view: PersonaView): PersonaSummary {
  const { uname, elf } = view.arch;
  return {
    id: view.id,
    name: view.name,
    deviceClass: view.deviceClass,
    arch: `${uname} (ELF${elf.bits} ${elf.endian}-endian, e_machine ${elf.machine})`,
    services: view.network.listening.map((s) => `${s.proto}/${s.local.slice(s.local.lastIndexOf(':') + 1)} ${s.program}`),
  };
}

/** Freezes plain objects and arrays (not typed arrays or maps): the view is shared by all sessions. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value) && !(value instanceof Map) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
