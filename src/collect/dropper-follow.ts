// Recursive droppers: a fetched or dropped shell script (a `bins.sh` pulling one binary per CPU) is
// run in a throwaway shell of the same persona with no network, only to learn which URLs it would
// fetch; those are then fetched for real, linked to the script, depth- and count-limited. Running
// the script (not grepping it) resolves variables, loops and `busybox wget` the way the device would.
import type { DownloadTool } from '../core/events.ts';
import type { PersonaView } from '../core/persona.ts';
import type { DownloadPort, ShellFactory } from '../core/ports.ts';
import type { FetchedPayload, SessionDownloads } from './session-downloads.ts';

export interface DropperLimits {
  /** Scripts named by scripts named by ... a typed URL is depth 0. */
  readonly maxDepth: number;
  /** URLs followed from one script. */
  readonly maxUrlsPerScript: number;
  /** Largest script that is run. */
  readonly maxScriptBytes: number;
}

export interface DropperFollower {
  /** Finds the URLs `script` would fetch (none when it is not a shell script). */
  urlsIn(script: Uint8Array, persona: PersonaView): Promise<readonly { readonly tool: DownloadTool; readonly url: string }[]>;
  /** Fetches what a payload names, linked to it; the children's payloads come back here (one level deeper). */
  follow(payload: FetchedPayload, downloads: SessionDownloads, persona: PersonaView): Promise<void>;
}

/** Text that a shell would run: a shebang naming a shell, or download commands in printable text. */
export function looksLikeShellScript(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  if (/^#!\s*\S*\/(?:ba|a|da|busybox\s+)?sh\b/.test(head)) return true;
  if (/[\x00-\x08\x0e-\x1f]/.test(head)) return false;
  return /(?:^|[\s;&|(`])(?:wget|curl|tftp|ftpget)\s/.test(head);
}

const LITERAL_URL = /\b(?:https?|ftp|tftp):\/\/[A-Za-z0-9.[\]:-]+(?:\/[^\s'"`;|&<>()$\\]*)?/g;

/** Complete URLs written out in a script or command, with the tool named just before each (wget by default). */
export function literalUrls(text: string): { tool: DownloadTool; url: string }[] {
  const found: { tool: DownloadTool; url: string }[] = [];
  for (const match of text.matchAll(LITERAL_URL)) {
    const before = text.slice(Math.max(0, match.index - 64), match.index);
    const tool = /curl[^\n;|&]*$/.test(before) ? 'curl' : /ftpget[^\n;|&]*$/.test(before) ? 'ftpget' : /tftp[^\n;|&]*$/.test(before) ? 'tftp' : 'wget';
    found.push({ tool, url: match[0] });
  }
  return found;
}

const silentEvents = { sessionId: 'dropper', emit: () => undefined };
const noCapture = { capture: () => null };
const noOutput = { write: () => undefined };

export function createDropperFollower(shells: ShellFactory, limits: DropperLimits): DropperFollower {
  return {
    async urlsIn(script, persona) {
      if (script.length > limits.maxScriptBytes || !looksLikeShellScript(script)) return [];
      const seen = new Map<string, DownloadTool>();
      // Answers at once with nothing fetched: the script goes on to its next download.
      const collector: DownloadPort = {
        fetch: ({ tool, url }) => {
          if (seen.size < limits.maxUrlsPerScript && !seen.has(url)) seen.set(url, tool);
          return Promise.resolve({ outcome: 'pending', body: null, statusLine: null, address: null });
        },
      };
      const shell = shells.create({ persona, events: silentEvents, capture: noCapture, downloads: collector, io: noOutput, username: 'root' });
      try {
        await shell.runLine(new TextDecoder('utf-8').decode(script));
      } catch {
        // a script the emulator cannot finish still gave the URLs it reached
      } finally {
        await shell.close().catch(() => undefined);
      }
      // URLs for tools this device lacks (`curl ... || wget ...` scripts aim at many devices) are
      // still in the text: literal ones are added.
      for (const { tool, url } of literalUrls(new TextDecoder('latin1').decode(script))) if (seen.size < limits.maxUrlsPerScript && !seen.has(url)) seen.set(url, tool);
      return [...seen].map(([url, tool]) => ({ tool, url }));
    },
    async follow(payload, downloads, persona) {
      if (payload.depth >= limits.maxDepth) return;
      for (const { tool, url } of await this.urlsIn(payload.bytes, persona)) {
        void downloads.follow({ tool, url, parent: payload.sha256, depth: payload.depth + 1 });
      }
    },
  };
}
