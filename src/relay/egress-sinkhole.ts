// Where the containment firewall sends the devices' outbound attempts (DNAT): a TCP listener and a
// UDP socket that take the first bytes, never answer, and report each attempt as device.egress with
// its original destination (conntrack) and, for DNS, the name asked for. A C2 callback is a finding.
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { Endpoint, EventPayloads } from '../core/events.ts';
import type { LocalEnd } from './conntrack-entry.ts';
import type { OriginalDestinationLookup } from './conntrack-lookup.ts';
import { parseDnsQuestion } from './dns-question.ts';
import { createEgressRate, type EgressAttempt } from './egress-rate.ts';
import { canonicalIp, deviceNames } from './egress-source.ts';

export interface EgressSinkholeOptions {
  /** Bind address ('0.0.0.0', '::' for IPv4 and IPv6 devices, or one of hachi's device-network addresses). */
  readonly host: string;
  /** 0 picks a free port (tests); the firewall needs the fixed ones. */
  readonly tcpPort: number;
  readonly udpPort: number;
  /** First bytes kept of a connection or datagram. */
  readonly previewBytes: number;
  /** A connection silent this long is closed with what it sent. */
  readonly idleTimeoutMs: number;
  /** A connection is closed after this long even if it keeps trickling (slow-drip). */
  readonly maxConnectionMs: number;
  /** TCP connections held at once; more are closed at once (still counted). */
  readonly maxConnections: number;
  /** Per device: attempts recorded one by one per window; the rest become one summary event. */
  readonly eventsPerWindow: number;
  readonly windowMs: number;
  /** Maps a source address to its device; other senders are reported as device 'unknown'. */
  readonly devices: readonly { readonly name: string; readonly address: string }[];
  /** conntrack; null when hachi is not on the host that redirects (dst is then null). */
  readonly lookup: OriginalDestinationLookup | null;
  readonly now: () => number;
  readonly onEgress: (data: EventPayloads['device.egress']) => void;
  /** Socket errors after start (logged by the caller); nothing received ever throws. */
  readonly onError: (where: string, error: Error) => void;
}

export interface EgressSinkhole {
  readonly tcpPort: number;
  readonly udpPort: number;
  /** Stops listening, ends open connections, reports pending summaries. */
  close(): Promise<void>;
}

export async function startEgressSinkhole(options: EgressSinkholeOptions): Promise<EgressSinkhole> {
  const deviceOf = deviceNames(options.devices);
  const rate = createEgressRate({ perWindow: options.eventsPerWindow, windowMs: options.windowMs });
  const open = new Set<Socket>();
  const reports = new Set<Promise<void>>();

  /** One attempt: recorded on its own (with its destination) or folded into the device's summary. */
  const record = (protocol: 'tcp' | 'udp', src: Endpoint, local: LocalEnd, detailed: boolean, bytes: Uint8Array, total: number): void => {
    const device = deviceOf(src.ip);
    const preview = Buffer.from(bytes.subarray(0, options.previewBytes)).toString('latin1');
    const attempt: EgressAttempt = { device, protocol, src, bytes: total, preview, dnsName: null };
    if (!detailed) {
      rate.fold({ ...attempt, dnsName: dnsNameOf(protocol, bytes, null) });
      return;
    }
    const report = (options.lookup ? options.lookup(protocol, src, local) : Promise.resolve(null))
      .catch(() => null)
      .then((dst) => options.onEgress({ ...attempt, dst, dnsName: dnsNameOf(protocol, bytes, dst), count: 1 }))
      .finally(() => reports.delete(report));
    reports.add(report);
  };

  const onConnection = (socket: Socket): void => {
    socket.on('error', () => undefined);
    const src = endpoint(socket.remoteAddress, socket.remotePort);
    const local = endpoint(socket.localAddress, socket.localPort);
    if (open.size >= options.maxConnections) {
      socket.destroy();
      rate.fold({ device: deviceOf(src.ip), protocol: 'tcp', src, bytes: 0, preview: '', dnsName: null });
      return;
    }
    const detailed = rate.take(deviceOf(src.ip), options.now());
    open.add(socket);
    const chunks: Buffer[] = [];
    let kept = 0;
    let total = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      open.delete(socket);
      socket.destroy();
      record('tcp', src, local, detailed, Buffer.concat(chunks), total);
    };
    const deadline = setTimeout(finish, options.maxConnectionMs);
    socket.setTimeout(options.idleTimeoutMs, finish);
    socket.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (kept < options.previewBytes) {
        const part = chunk.subarray(0, options.previewBytes - kept);
        chunks.push(part);
        kept += part.length;
      }
      if (kept >= options.previewBytes) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
  };

  const server = createServer(onConnection);
  await listen(server, options.host, options.tcpPort);
  server.on('error', (error) => options.onError('sinkhole tcp', error));
  const udp = createSocket({ type: options.host.includes(':') ? 'udp6' : 'udp4' });
  try {
    await bindUdp(udp, options.host, options.udpPort);
  } catch (error) {
    server.close();
    throw error;
  }
  udp.on('error', (error) => options.onError('sinkhole udp', error));
  udp.on('message', (message: Buffer, info: RemoteInfo) => {
    const src = endpoint(info.address, info.port);
    // Bound to a wildcard the socket is not told which address the datagram was for.
    const bound = endpoint(udp.address().address, udp.address().port);
    const local = { ip: bound.ip === '0.0.0.0' || bound.ip === '::' ? null : bound.ip, port: bound.port };
    record('udp', src, local, rate.take(deviceOf(src.ip), options.now()), message, message.length);
  });

  const summarise = (all: boolean): void => {
    for (const s of rate.drain(options.now(), all)) {
      options.onEgress({ device: s.device, protocol: s.protocol, src: s.first.src, dst: null, bytes: s.bytes, preview: s.first.preview, dnsName: s.first.dnsName, count: s.count });
    }
  };
  const ticker = setInterval(() => summarise(false), Math.max(1000, Math.floor(options.windowMs / 4)));
  ticker.unref();

  const tcpPort = portOf(server.address());
  const udpPort = udp.address().port;
  let closing: Promise<void> | null = null;
  return {
    tcpPort,
    udpPort,
    close() {
      closing ??= (async () => {
        clearInterval(ticker);
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of [...open]) socket.destroy();
        await closed;
        await new Promise<void>((resolve) => udp.close(() => resolve()));
        await Promise.allSettled([...reports]);
        summarise(true);
      })();
      return closing;
    },
  };
}

/** DNS over UDP, or over TCP with its two-byte length, when the flow went to port 53 (or may have). */
function dnsNameOf(protocol: 'tcp' | 'udp', bytes: Uint8Array, dst: Endpoint | null): string | null {
  if (protocol === 'tcp' && dst?.port !== 53) return null;
  if (dst !== null && dst.port !== 53) return null;
  return parseDnsQuestion(protocol === 'tcp' ? bytes.subarray(2) : bytes)?.name ?? null;
}

function endpoint(address: string | undefined, port: number | undefined): Endpoint {
  // A dual-stack socket sees IPv4 senders as ::ffff:a.b.c.d; devices and conntrack know a.b.c.d.
  return { ip: canonicalIp(address ?? '') ?? '', port: port ?? 0 };
}

function portOf(address: ReturnType<Server['address']>): number {
  return typeof address === 'object' && address !== null ? address.port : 0;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, backlog: 511 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function bindUdp(socket: UdpSocket, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}
