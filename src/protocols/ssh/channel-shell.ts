// Runs the emulated shell on one session channel: interactive (with a pty: prompt, echo and ash's
// line editing; without one: lines read silently, as ash reads a pipe) or one `exec` command.
import type { LimitName } from '../../core/events.ts';
import type { SessionEmitter, ShellSession } from '../../core/ports.ts';
import { createLineEditor } from '../telnet/line-editor.ts';
import type { ChannelInput } from './channel-input.ts';
import type { ChannelOutput } from './channel-output.ts';

export interface ShellRun {
  readonly shell: ShellSession;
  readonly input: ChannelInput;
  readonly output: ChannelOutput;
  readonly events: SessionEmitter;
  readonly pty: boolean;
  readonly maxLineLength: number;
  /** A line past the limit: the session records it and closes. */
  readonly onLimit: (limit: LimitName, max: number, detail: string) => void;
  readonly stopped: () => boolean;
}

const decoder = new TextDecoder('utf-8');

/** The shell's exit status as a process exit code (0-255). */
export function exitStatusOf(shell: ShellSession): number {
  return shell.exitStatus() & 0xff;
}

/** Interactive shell until `exit`, ^D, EOF or the session stopping; returns the exit status. */
export async function runShell(run: ShellRun): Promise<number> {
  const { shell, input, output } = run;
  const editor = createLineEditor(run.maxLineLength);
  let chunk: Uint8Array | null = null;
  let offset = 0;
  let line: number[] = [];

  const readLine = async (prompt: string): Promise<Uint8Array | 'interrupt' | 'eof' | 'overflow'> => {
    for (;;) {
      if (run.stopped()) return 'eof';
      if (chunk === null || offset >= chunk.length) {
        chunk = await input.next();
        offset = 0;
        if (chunk === null) return 'eof';
        continue;
      }
      if (!run.pty) {
        // No pty: bytes go to the shell as they are, a line ends at LF.
        const lf = chunk.indexOf(0x0a, offset);
        const end = lf < 0 ? chunk.length : lf;
        for (let i = offset; i < end; i++) line.push(chunk[i]!);
        offset = lf < 0 ? chunk.length : lf + 1;
        if (line.length > run.maxLineLength) return 'overflow';
        if (lf < 0) continue;
        const bytes = Uint8Array.from(line.at(-1) === 0x0d ? line.slice(0, -1) : line);
        line = [];
        return bytes;
      }
      const echo: number[] = [];
      let result = null;
      while (offset < chunk.length && result === null) {
        const taken = editor.feedPrintable(chunk, offset, 'shell', echo);
        if (taken > 0) offset += taken;
        else result = editor.feed(chunk[offset++]!, 'shell', prompt, echo);
      }
      if (echo.length > 0) output.echo(Uint8Array.from(echo));
      if (result === null) continue;
      if (result.kind === 'line') return result.bytes;
      return result.kind;
    }
  };

  for (;;) {
    await output.drained();
    const prompt = run.pty ? shell.prompt() : '';
    output.write(prompt);
    const read = await readLine(prompt);
    if (read === 'interrupt') continue;
    if (read === 'eof') return exitStatusOf(shell);
    if (read === 'overflow') {
      run.onLimit('line-length', run.maxLineLength, `line longer than ${run.maxLineLength} bytes`);
      return 1;
    }
    const text = decoder.decode(read);
    if (text.trim() === '') continue;
    run.events.emit('command.input', { line: text });
    if ((await shell.runLine(text)) === 'exit' || run.stopped()) return exitStatusOf(shell);
  }
}

/** One `exec` command, line by line as sh -c would read it; returns its exit status. */
export async function runExec(run: Omit<ShellRun, 'input'>, command: string): Promise<number> {
  const lines = command.split('\n');
  if (command.length > run.maxLineLength) {
    run.onLimit('line-length', run.maxLineLength, `exec command longer than ${run.maxLineLength} bytes`);
    return 1;
  }
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    run.events.emit('command.input', { line });
    if ((await run.shell.runLine(line)) === 'exit' || run.stopped()) break;
    await run.output.drained();
  }
  return exitStatusOf(run.shell);
}
