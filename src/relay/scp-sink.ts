// Reads what an attacker's `scp` sends to `scp -t <target>` on the device (the legacy SCP sink
// protocol: C/D/E/T lines, file bytes, a NUL after each file) and gives back each uploaded file.
// Pure; the paths it gives are the device's, never used on the host.

export type ScpUpload =
  | { readonly kind: 'file'; readonly path: string; readonly mode: string; readonly bytes: Uint8Array }
  /** Over the file-size limit (or the session's byte budget): not kept, its bytes were skipped. */
  | { readonly kind: 'too-large'; readonly path: string; readonly size: number; readonly max: number };

export interface ScpSink {
  push(bytes: Uint8Array): ScpUpload[];
  /** The stream broke off the protocol (garbage, an overlong line): nothing more is read. */
  readonly broken: boolean;
}

/** A control line (C0644 123 name) longer than this is not SCP. */
const MAX_LINE = 4096;
/** Directories deeper than this are not followed (the stream is then read as broken). */
const MAX_DEPTH = 64;

/** The target of `scp [-options] -t [--] <target>`, or null when the command is no SCP sink. */
export function scpSinkTarget(command: string): { readonly target: string; readonly directory: boolean } | null {
  const words = command.trim().split(/\s+/);
  if (words[0] !== 'scp' && !/\/scp$/.test(words[0] ?? '')) return null;
  let sink = false;
  let directory = false;
  let target: string | null = null;
  for (const word of words.slice(1)) {
    if (target === null && word.startsWith('-') && word !== '--') {
      if (word.includes('t')) sink = true;
      if (word.includes('d') || word.includes('r')) directory = true;
    } else if (word !== '--' || target !== null) {
      target = target === null ? word : `${target} ${word}`;
    }
  }
  if (!sink || target === null) return null;
  return { target: unquote(target), directory };
}

function unquote(word: string): string {
  return /^'.*'$/s.test(word) || /^".*"$/s.test(word) ? word.slice(1, -1) : word;
}

export function createScpSink(options: { readonly target: string; readonly directory: boolean; readonly maxFileBytes: number; readonly maxTotalBytes: number }): ScpSink {
  const dirs: string[] = [];
  let line: number[] = [];
  let broken = false;
  let total = 0;
  /** The file being received: its bytes still to come, and whether they are kept. */
  let file: { path: string; mode: string; size: number; received: number; parts: Uint8Array[] | null } | null = null;
  /** After a file's bytes the client sends one status byte (NUL). */
  let status = false;

  const pathOf = (name: string): string => {
    const base = [options.target, ...dirs].join('/');
    if (dirs.length === 0 && !options.directory && !options.target.endsWith('/')) {
      // `scp x host:/tmp/y` names the file; `scp x host:/tmp` names a directory: tell them apart by the name.
      return options.target.split('/').pop() === name ? options.target : `${options.target}/${name}`;
    }
    return `${base.replace(/\/+$/, '')}/${name}`;
  };

  const control = (text: string, out: ScpUpload[]): void => {
    const kind = text[0];
    if (kind === 'T' || kind === '\x01' || kind === '\x02') return; // times, warnings
    if (kind === 'E') {
      if (dirs.pop() === undefined) broken = true;
      return;
    }
    const match = /^([CD])([0-7]{3,4}) (\d{1,15}) (.+)$/s.exec(text);
    const name = match?.[4];
    if (!match || name === undefined || name.includes('/') || name === '..' || name === '.') {
      broken = true;
      return;
    }
    if (match[1] === 'D') {
      if (dirs.length >= MAX_DEPTH) broken = true;
      else dirs.push(name);
      return;
    }
    const size = Number(match[3]);
    const path = pathOf(name);
    const keep = size <= options.maxFileBytes && total + size <= options.maxTotalBytes;
    if (!keep) out.push({ kind: 'too-large', path, size, max: Math.min(options.maxFileBytes, Math.max(0, options.maxTotalBytes - total)) });
    else total += size;
    file = { path, mode: match[2]!, size, received: 0, parts: keep ? [] : null };
    if (size === 0) finish(out);
  };

  const finish = (out: ScpUpload[]): void => {
    if (file?.parts) out.push({ kind: 'file', path: file.path, mode: file.mode, bytes: Buffer.concat(file.parts) });
    file = null;
    status = true;
  };

  return {
    push(bytes) {
      const out: ScpUpload[] = [];
      let at = 0;
      while (at < bytes.length && !broken) {
        if (file !== null) {
          const take = Math.min(file.size - file.received, bytes.length - at);
          file.parts?.push(bytes.slice(at, at + take));
          file.received += take;
          at += take;
          if (file.received === file.size) finish(out);
          continue;
        }
        const byte = bytes[at++]!;
        if (status) {
          status = false;
          if (byte === 0) continue;
        }
        if (byte !== 0x0a) {
          if (line.length >= MAX_LINE) broken = true;
          else line.push(byte);
          continue;
        }
        const text = Buffer.from(line).toString('utf8');
        line = [];
        control(text, out);
      }
      return out;
    },
    get broken() {
      return broken;
    },
  };
}
