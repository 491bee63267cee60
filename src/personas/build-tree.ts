// Assembles a persona's FsTree from the pack's fs/ entries, the YAML's dirs/devices/modes and the
// generated files. Every parent directory is present; collisions with generated paths are problems.
import type { FsNode, FsTree } from '../core/persona.ts';
import { buildElfImage } from './elf-image.ts';
import { APPLET_DIRS, appletLinks, busyboxBinary, derivedTextFiles } from './generated-files.ts';
import type { RawEntry } from './pack-files.ts';
import type { PackYaml } from './schema.ts';

const STANDARD_DEVICES: readonly [string, 'null' | 'zero' | 'random' | 'tty', number][] = [
  ['/dev/null', 'null', 0o666],
  ['/dev/zero', 'zero', 0o666],
  ['/dev/random', 'random', 0o666],
  ['/dev/urandom', 'random', 0o666],
  ['/dev/tty', 'tty', 0o666],
  ['/dev/console', 'tty', 0o600],
];

const EXECUTABLE_DIRS = [...APPLET_DIRS, '/etc/init.d'];

function defaultMode(path: string, kind: 'file' | 'dir'): number {
  if (kind === 'dir') return 0o755;
  const parent = path.slice(0, path.lastIndexOf('/')) || '/';
  return EXECUTABLE_DIRS.includes(parent) ? 0o755 : 0o644;
}

/** `where.fs` labels the pack's fs/ directory and `where.file` its persona.yaml in problems. */
export function buildTree(
  id: string,
  pack: PackYaml,
  raw: ReadonlyMap<string, RawEntry>,
  where: { readonly fs: string; readonly file: string },
  problems: string[],
): FsTree {
  const label = where.fs;
  const mtime = Date.parse(pack.fs.mtime);
  const modes = new Map(Object.entries(pack.fs.modes).map(([p, m]) => [p, Number.parseInt(m, 8)]));
  const tree = new Map<string, FsNode>();

  const put = (path: string, node: FsNode): void => {
    addParents(tree, path, mtime);
    tree.set(path, node);
  };
  const mode = defaultMode;

  tree.set('/', { kind: 'dir', mode: mode('/', 'dir'), uid: 0, gid: 0, mtime });
  for (const [path, entry] of raw) {
    if (entry.kind === 'symlink') put(path, { kind: 'symlink', target: entry.target, mtime });
    else if (entry.kind === 'dir') put(path, { kind: 'dir', mode: mode(path, 'dir'), uid: 0, gid: 0, mtime });
    else put(path, { kind: 'file', data: entry.data, mode: mode(path, 'file'), uid: 0, gid: 0, mtime });
  }
  for (const path of pack.fs.dirs) {
    const existing = tree.get(path);
    if (existing && existing.kind !== 'dir') problems.push(`${where.file}: fs.dirs: "${path}" is a ${existing.kind} in fs/`);
    else if (!existing) put(path, { kind: 'dir', mode: mode(path, 'dir'), uid: 0, gid: 0, mtime });
  }
  const devices = [...STANDARD_DEVICES, ...Object.entries(pack.fs.devices).map(([p, d]) => [p, d, 0o666] as const)];
  for (const [path, device, devMode] of devices) {
    if (raw.has(path)) problems.push(`${label}${path}: device nodes are declared in fs.devices, not stored in fs/`);
    put(path, { kind: 'device', device, mode: devMode, mtime });
  }

  const generated = (path: string, node: FsNode): void => {
    if (raw.has(path)) problems.push(`${label}${path}: generated from persona.yaml; remove it from fs/`);
    put(path, node);
  };
  generated('/bin/busybox', { kind: 'file', data: busyboxBinary(pack, id), mode: mode('/bin/busybox', 'file'), uid: 0, gid: 0, mtime });
  for (const [path, size] of Object.entries(pack.fs.binaries)) {
    const data = buildElfImage({ elf: pack.arch.elf, size, seed: `${id}${path}`, strings: [path.slice(path.lastIndexOf('/') + 1)] });
    generated(path, { kind: 'file', data, mode: 0o755, uid: 0, gid: 0, mtime });
  }
  const seen = new Set<string>();
  for (const link of appletLinks(pack)) {
    if (seen.has(link.applet)) problems.push(`${where.file}: busybox.applets: "${link.applet}" is listed more than once`);
    seen.add(link.applet);
    generated(link.path, { kind: 'symlink', target: link.target, mtime });
  }
  const encoder = new TextEncoder();
  for (const [path, text] of derivedTextFiles(pack)) {
    const provided = raw.get(path);
    if (provided?.kind === 'file') {
      const content = new TextDecoder().decode(provided.data);
      if (content.trim() !== text.trim()) {
        problems.push(`${label}${path}: disagrees with persona.yaml (expected ${JSON.stringify(text.trim())}); remove it to have it generated`);
      }
      continue;
    }
    put(path, { kind: 'file', data: encoder.encode(text), mode: mode(path, 'file'), uid: 0, gid: 0, mtime });
  }

  // Modes last, so they also reach directories that were created as parents.
  for (const [path, m] of modes) {
    const node = tree.get(path);
    if (!node) problems.push(`${where.file}: fs.modes: "${path}" names no file or directory of the pack`);
    else if (node.kind === 'symlink') problems.push(`${where.file}: fs.modes: "${path}" is a symlink (symlinks have no mode)`);
    else tree.set(path, { ...node, mode: m });
  }
  return tree;
}

function addParents(tree: Map<string, FsNode>, path: string, mtime: number): void {
  let end = path.lastIndexOf('/');
  const missing: string[] = [];
  while (end > 0) {
    const parent = path.slice(0, end);
    if (tree.has(parent)) break;
    missing.push(parent);
    end = parent.lastIndexOf('/');
  }
  for (const dir of missing) tree.set(dir, { kind: 'dir', mode: 0o755, uid: 0, gid: 0, mtime });
}
