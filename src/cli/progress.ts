// Progress of a long CLI job on stderr: a redrawn bar (done/total, rate, ETA) when stderr is a terminal,
// plain periodic lines when it is a file or a pipe, so logs stay readable.

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(chunk: string): unknown;
}

export interface ProgressOptions {
  readonly label: string;
  readonly total: number;
  readonly stream: ProgressStream;
  readonly now?: () => number;
  /** Plain mode: one line at most this often (default 5 s), and always at the end. */
  readonly lineEveryMs?: number;
  /** Terminal mode: redraws at most this often (default 100 ms). */
  readonly redrawEveryMs?: number;
}

export interface ProgressState {
  readonly done: number;
  readonly total: number;
  readonly failed: number;
  readonly elapsedMs: number;
}

export interface Progress {
  /** `done` counts finished items, failed ones included; `total` may grow (work found along the way). */
  update(done: number, failed?: number, total?: number): void;
  /** Draws the final state and ends the line. */
  finish(): void;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** "12/40 30% 5.2/s ETA 0:05 (1 failed)": the numbers both modes print. */
export function formatCounts(state: ProgressState): string {
  const { done, total, failed, elapsedMs } = state;
  const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const eta = done >= total ? 'done' : rate > 0 ? `ETA ${formatDuration(((total - done) / rate) * 1000)}` : 'ETA ?';
  const rateText = rate >= 10 ? rate.toFixed(0) : rate.toFixed(1);
  return `${done}/${total} ${percent}% ${rateText}/s ${eta}${failed > 0 ? ` (${failed} failed)` : ''}`;
}

/** One terminal line: label, a bar sized to the terminal, and the counts. */
export function formatBar(label: string, state: ProgressState, columns = 80): string {
  const counts = formatCounts(state);
  const room = Math.max(10, Math.min(40, columns - label.length - counts.length - 5));
  const filled = state.total > 0 ? Math.min(room, Math.floor((state.done / state.total) * room)) : room;
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(room - filled)}] ${counts}`;
}

export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const started = now();
  const tty = options.stream.isTTY === true;
  const every = tty ? (options.redrawEveryMs ?? 100) : (options.lineEveryMs ?? 5000);
  let last = Number.NEGATIVE_INFINITY;
  let state: ProgressState = { done: 0, total: options.total, failed: 0, elapsedMs: 0 };
  let finished = false;

  const draw = (): void => {
    if (tty) options.stream.write(`\r${formatBar(options.label, state, options.stream.columns)}\x1b[K`);
    else options.stream.write(`${options.label}: ${formatCounts(state)}\n`);
  };

  return {
    update(done, failed = state.failed, total = state.total) {
      if (finished) return;
      const at = now();
      state = { done, total, failed, elapsedMs: at - started };
      if (at - last < every) return;
      last = at;
      draw();
    },
    finish() {
      if (finished) return;
      finished = true;
      state = { ...state, elapsedMs: now() - started };
      draw();
      if (tty) options.stream.write('\n');
    },
  };
}
