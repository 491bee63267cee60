// The persona's read-only tree plus a directory → children index, built once per tree and shared by
// every session's overlay, so listing a directory never scans the whole tree.
import type { FsNode, FsTree } from '../../core/persona.ts';
import { baseName, parentOf } from './vfs-path.ts';

export interface TreeIndex {
  readonly tree: FsTree;
  /** Names (not paths) of each directory's children, sorted. */
  readonly children: ReadonlyMap<string, readonly string[]>;
}

/** Nodes every device has even when a persona pack leaves them out. */
export function builtinNode(path: string): FsNode | undefined {
  switch (path) {
    case '/':
    case '/dev':
      return { kind: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 };
    case '/dev/null':
      return { kind: 'device', device: 'null', mode: 0o666, mtime: 0 };
    case '/dev/zero':
      return { kind: 'device', device: 'zero', mode: 0o666, mtime: 0 };
    default:
      return undefined;
  }
}

const builtinPaths = ['/', '/dev', '/dev/null', '/dev/zero'] as const;

export function indexTree(tree: FsTree): TreeIndex {
  const sets = new Map<string, Set<string>>();
  const add = (path: string): void => {
    if (path === '/') return;
    const parent = parentOf(path);
    let set = sets.get(parent);
    if (!set) sets.set(parent, (set = new Set()));
    set.add(baseName(path));
  };
  for (const path of tree.keys()) add(path);
  for (const path of builtinPaths) if (!tree.has(path)) add(path);
  const children = new Map<string, readonly string[]>();
  for (const [dir, names] of sets) children.set(dir, [...names].sort());
  return { tree, children };
}

export function isTreeIndex(value: FsTree | TreeIndex): value is TreeIndex {
  return 'children' in value && 'tree' in value;
}
