// The HTTP inspector with hot reload: exploit signature directories (the built-in one, then
// `<data>/signatures/`) are checked every few seconds, and a new or changed signature file is picked
// up without a restart — an analyst can turn a new attack into a signature the same day.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HttpInspector } from '../core/http.ts';
import type { Logger } from '../core/ports.ts';
import { loadHttpInspector } from '../exploits/http-inspector.ts';

export interface ReloadingInspector extends HttpInspector {
  /** Signatures loaded now. */
  readonly signatures: () => number;
  /** Checks the directories at once (the timer does it every `intervalMs`); true when it reloaded. */
  check(): Promise<boolean>;
  stop(): void;
}

/** Names, sizes and modification times of the signature files: a change in any means reload. */
async function fingerprint(dirs: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const dir of dirs) {
    const names = await readdir(dir).catch((): string[] => []);
    for (const name of names.filter((n) => /\.ya?ml$/.test(n)).sort()) {
      const info = await stat(join(dir, name)).catch(() => null);
      parts.push(`${dir}/${name}:${info?.size ?? -1}:${info?.mtimeMs ?? -1}`);
    }
  }
  return parts.join('\n');
}

export async function startReloadingInspector(options: { readonly signatureDirs: readonly string[]; readonly intervalMs: number; readonly logger: Logger }): Promise<ReloadingInspector> {
  const { signatureDirs, logger } = options;
  const load = async (): Promise<{ inspector: HttpInspector; signatures: number }> => {
    const loaded = await loadHttpInspector({ signatureDirs });
    for (const problem of loaded.problems.slice(0, 50)) logger.warn('exploit signature skipped', { problem });
    return loaded;
  };
  let seen = await fingerprint(signatureDirs);
  let current = await load();
  logger.info('exploit signatures loaded', { signatures: current.signatures, dirs: signatureDirs.join(', ') });
  let checking: Promise<boolean> | null = null;
  const check = (): Promise<boolean> =>
    (checking ??= (async () => {
      try {
        const now = await fingerprint(signatureDirs);
        if (now === seen) return false;
        seen = now;
        current = await load();
        logger.info('exploit signatures reloaded', { signatures: current.signatures });
        return true;
      } catch (error) {
        logger.warn('exploit signatures not reloaded', { reason: String(error) });
        return false;
      } finally {
        checking = null;
      }
    })());
  const timer = setInterval(() => void check(), options.intervalMs);
  timer.unref();
  return {
    inspect: (request) => current.inspector.inspect(request),
    signatures: () => current.signatures,
    check,
    stop: () => clearInterval(timer),
  };
}
