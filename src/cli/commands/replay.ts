// `hachi replay SESSION`: plays a session's asciicast v2 recording in this terminal with its timing.
// Attacker-typed OSC/DCS/APC sequences (clipboard writes, title changes) and terminal queries are
// removed unless --raw.
import { readFile } from 'node:fs/promises';
import { HachiError } from '../../core/errors.ts';
import { createFsRecordingStore } from '../../storage/recording-fs-store.ts';
import { dataDirFrom } from './data-dir.ts';

export interface ReplayOptions {
  readonly data?: string;
  readonly speed: string;
  readonly maxIdle: string;
  readonly instant?: boolean;
  readonly raw?: boolean;
}

export async function replayCommand(sessionId: string, options: ReplayOptions): Promise<void> {
  const dataDir = dataDirFrom(options.data);
  const recordings = createFsRecordingStore({ dataDir, maxBytesPerRecording: 0, now: () => Date.now(), logger: { info: () => undefined, warn: () => undefined } });
  const path = /^[0-9A-Za-z_-]{1,64}$/.test(sessionId) ? await recordings.locate(sessionId) : null;
  if (!path) throw new HachiError('HACHI_ERR_NOT_FOUND', `no recording for session ${JSON.stringify(sessionId.slice(0, 80))}`);
  const frames = parseAsciicast(await readFile(path, 'utf8'));
  const speed = Math.max(0.01, Number(options.speed) || 1);
  const maxIdle = Math.max(0, Number(options.maxIdle) || 0);
  let previous = 0;
  for (const frame of frames) {
    if (!options.instant) {
      const wait = Math.min(frame.time - previous, maxIdle > 0 ? maxIdle : Infinity) / speed;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
    previous = frame.time;
    process.stdout.write(options.raw ? frame.data : withoutHostileSequences(frame.data));
  }
  process.stdout.write('\n');
}

export interface OutputFrame {
  readonly time: number;
  readonly data: string;
}

/** The output frames of an asciicast v2 file; malformed lines are skipped. */
export function parseAsciicast(text: string): OutputFrame[] {
  const frames: OutputFrame[] = [];
  for (const line of text.split('\n').slice(1)) {
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      if (Array.isArray(value) && typeof value[0] === 'number' && value[1] === 'o' && typeof value[2] === 'string') frames.push({ time: value[0], data: value[2] });
    } catch {
      // A torn last line after a crash: skip it.
    }
  }
  return frames;
}

/** Drops string sequences (OSC, DCS, APC, PM, SOS) and terminal queries (DSR, DA) that would make the analyst's terminal act or answer. */
export function withoutHostileSequences(data: string): string {
  return data.replace(/\x1b[\]P_^X][\s\S]*?(?:\x07|\x1b\\|$)/g, '').replace(/\x1b\[[0-9;?>=]*[nc]/g, '');
}
