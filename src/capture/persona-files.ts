// Tells whether bytes equal one of the persona's own files, so copies of them (Mirai's
// `cp /bin/echo dvrHelper`) are not captured: a size lookup, then a byte compare, which is far
// cheaper than hashing a 600 KB busybox copy in every session.
import type { PersonaView } from '../core/persona.ts';

export function personaFileMatcher(persona: PersonaView): (bytes: Uint8Array) => boolean {
  const bySize = new Map<number, Uint8Array[]>();
  for (const node of persona.fs.values()) {
    if (node.kind !== 'file' || node.data.length === 0) continue;
    bySize.set(node.data.length, [...(bySize.get(node.data.length) ?? []), node.data]);
  }
  return (bytes) => (bySize.get(bytes.length) ?? []).some((data) => Buffer.compare(data, bytes) === 0);
}
