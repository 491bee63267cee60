// Load client process for bench/fetch.ts. `slow-hold`: N bots log in, each runs one wget of its own
// slow URL, then all stay idle in the shell until the bench writes "release" to stdin (or stdin
// ends). `probe`: one bot wgets a fast URL and reports what the shell answered. Prints JSON lines.
import { createInterface } from 'node:readline';
import { percentile } from './bench-processes.ts';
import { HeldBot } from './held-bot.ts';
import type { BotTarget } from './telnet-bot.ts';

interface FetchLoadRequest {
  readonly mode: 'slow-hold' | 'probe';
  readonly port: number;
  /** Base of the URLs the bots fetch, e.g. http://127.0.0.1:41234 */
  readonly hostUrl: string;
  readonly username: string;
  readonly password: string;
  readonly promptSuffix: string;
  readonly count: number;
  /** Bots logging in at once while the held set is built up. */
  readonly concurrency: number;
  readonly sources: number;
  /** Third octet of the first 127.0.x.y source address (kept apart from the Mirai load's). */
  readonly sourceNet: number;
}

const MARK = '/bin/busybox ECCHI';
const MARK_REPLY = 'ECCHI: applet not found';

const request = JSON.parse(process.argv[2] ?? '{}') as FetchLoadRequest;
const target = (i: number): BotTarget => ({
  host: '127.0.0.1',
  port: request.port,
  localAddress: `127.0.${request.sourceNet + Math.floor((i % request.sources) / 250)}.${1 + ((i % request.sources) % 250)}`,
  username: request.username,
  password: request.password,
  promptSuffix: request.promptSuffix,
  timeoutMs: 60_000,
});

const emit = (message: object): void => void process.stdout.write(`${JSON.stringify(message)}\n`);

/** Resolves when the bench says "release" or its end of our stdin closes. */
function released(): Promise<void> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => line.trim() === 'release' && resolve());
    lines.on('close', () => resolve());
  });
}

async function slowHold(): Promise<object> {
  const bots: HeldBot[] = [];
  const wgetMs: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < request.count) {
      const index = next++;
      try {
        const bot = await HeldBot.login(target(index));
        bots.push(bot);
        const line = `cd /tmp; wget ${request.hostUrl}/slow/${index} -O x${index}; ${MARK}`;
        const { ms } = await bot.run(line, MARK_REPLY, 60_000);
        wgetMs.push(ms);
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: request.concurrency }, worker));
  const openSeconds = (performance.now() - started) / 1000;
  const summary = {
    held: bots.filter((b) => b.open).length,
    failed: failures.length,
    firstFailures: [...new Set(failures)].slice(0, 5),
    openSeconds,
    wgetP50Ms: percentile(wgetMs, 50),
    wgetP95Ms: percentile(wgetMs, 95),
    wgetMaxMs: Math.max(0, ...wgetMs),
    wgetMinMs: wgetMs.length === 0 ? 0 : Math.min(...wgetMs),
  };
  emit({ event: 'held', ...summary });
  await released();
  const stillOpen = bots.filter((b) => b.open).length;
  for (const bot of bots) bot.socket.destroy();
  return { ...summary, stillOpen };
}

async function probe(): Promise<object> {
  const bot = await HeldBot.login(target(0));
  try {
    const { text, ms } = await bot.run(`cd /tmp; wget ${request.hostUrl}/fast/probe-${Date.now()} -O probe; ${MARK}`, MARK_REPLY, 60_000);
    return { ms, saved: text.includes("' saved"), reply: text.replace(/\r/g, '').trim().split('\n').slice(-3).join(' / ').slice(0, 300) };
  } finally {
    bot.socket.destroy();
  }
}

const modes = { 'slow-hold': slowHold, probe } satisfies Record<FetchLoadRequest['mode'], () => Promise<object>>;
emit({ event: 'result', ...(await modes[request.mode]()) });
process.exit(0);
