// A DownloadPort for tests: answers from a table of URLs (anything else is 'refused') and records
// what was asked, so shell commands can be tested without a network.
import type { DownloadTool } from '../core/events.ts';
import type { DownloadPort, DownloadReply } from '../core/ports.ts';

export class FakeDownloads implements DownloadPort {
  readonly requests: { readonly tool: DownloadTool; readonly url: string }[] = [];
  readonly #answers: ReadonlyMap<string, DownloadReply>;

  constructor(answers: Readonly<Record<string, DownloadReply | string | Uint8Array>> = {}) {
    this.#answers = new Map(
      Object.entries(answers).map(([url, answer]) => [
        url,
        typeof answer === 'string' || answer instanceof Uint8Array ? { outcome: 'ok', body: typeof answer === 'string' ? new TextEncoder().encode(answer) : answer, statusLine: null, address: null } : answer,
      ]),
    );
  }

  fetch(request: { readonly tool: DownloadTool; readonly url: string }): Promise<DownloadReply> {
    this.requests.push(request);
    // Unlisted: a name does not resolve, an address refuses (an offline device's answers).
    const host = /^[a-z]+:\/\/(?:[^@/]*@)?(\[[^\]]*\]|[^/:?#]*)/i.exec(request.url)?.[1] ?? '';
    const named = !/^[\d.]+$|^\[/.test(host);
    return Promise.resolve(this.#answers.get(request.url) ?? { outcome: named ? 'dns-failed' : 'refused', body: null, statusLine: null, address: named ? null : host });
  }
}
