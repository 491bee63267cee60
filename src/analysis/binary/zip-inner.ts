// The first file inside a zip archive, read under a size cap: droppers ship binaries zipped, and a
// zip bomb must end at the cap (the bytes are counted as they inflate, not taken from the header).
import { Uint8ArrayReader, ZipReader } from '@zip.js/zip.js';

export type ZipInner = { readonly ok: true; readonly name: string; readonly bytes: Uint8Array } | { readonly ok: false; readonly reason: string };

/** Entries looked at before giving up on finding a plain file. */
const MAX_ENTRIES = 64;

export async function firstZipEntry(bytes: Uint8Array, maxBytes: number): Promise<ZipInner> {
  const reader = new ZipReader(new Uint8ArrayReader(bytes), { useWebWorkers: false });
  try {
    let seen = 0;
    for await (const entry of reader.getEntriesGenerator()) {
      if (++seen > MAX_ENTRIES) break;
      if (entry.directory) continue;
      if (entry.encrypted) return { ok: false, reason: 'first file is encrypted' };
      const chunks: Uint8Array[] = [];
      let total = 0;
      const sink = new WritableStream<Uint8Array>({
        write(chunk) {
          total += chunk.length;
          if (total > maxBytes) throw new RangeError(`inflates past ${maxBytes} bytes`);
          chunks.push(chunk);
        },
      });
      try {
        await entry.getData(sink);
      } catch (error) {
        return { ok: false, reason: error instanceof RangeError ? error.message : `corrupt entry (${error instanceof Error ? error.message : String(error)})` };
      }
      const out = new Uint8Array(total);
      let at = 0;
      for (const chunk of chunks) {
        out.set(chunk, at);
        at += chunk.length;
      }
      return { ok: true, name: entry.filename.slice(0, 256), bytes: out };
    }
    return { ok: false, reason: 'no file inside' };
  } catch (error) {
    return { ok: false, reason: `unreadable archive (${error instanceof Error ? error.message : String(error)})` };
  } finally {
    await reader.close().catch(() => undefined);
  }
}
