// `hachi sessions`: the newest sessions, as a table or one JSON object per line.
import { openStore } from '../../storage/store.ts';
import { formatTable } from '../table.ts';
import { dataDirFrom } from './data-dir.ts';

export interface SessionsOptions {
  readonly data?: string;
  readonly limit: string;
  readonly persona?: string;
  readonly source?: string;
  readonly json?: boolean;
}

export function sessionsCommand(options: SessionsOptions): void {
  const store = openStore(dataDirFrom(options.data));
  try {
    const sessions = store.listSessions({ limit: Number(options.limit), persona: options.persona, source: options.source });
    if (options.json) {
      for (const s of sessions) process.stdout.write(`${JSON.stringify(s)}\n`);
      return;
    }
    const rows = sessions.map((s) => [
      s.id,
      new Date(s.start).toISOString().replace('T', ' ').slice(0, 19),
      `${s.src.ip}:${s.src.port}`,
      s.persona,
      s.loginSuccess === null ? '-' : s.loginSuccess ? `${s.username ?? ''}/${s.password ?? ''}` : `failed x${s.authAttempts}`,
      String(s.commandCount),
      s.closeReason ?? 'open',
    ]);
    process.stdout.write(`${formatTable(['session', 'start (UTC)', 'source', 'persona', 'login', 'cmds', 'end'], rows)}\n`);
  } finally {
    store.close();
  }
}
