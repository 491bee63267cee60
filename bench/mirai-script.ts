// The Mirai-style session the Telnet benchmarks run: login, shell escape, busybox probes, /proc
// reads, an ELF-header read, a 1 KB echo-dropped file, chmod, exec, exit. Each step ends with a
// random-applet marker, as Mirai's loader does, so the client knows when the reply is complete.

export interface ScriptStep {
  readonly line: string;
  /** Text that ends this step's reply. */
  readonly until: string;
}

const MARK = '/bin/busybox ECCHI';
const MARK_REPLY = 'ECCHI: applet not found';

function echoChunks(totalBytes: number, chunkBytes: number): string[] {
  const lines: string[] = [];
  for (let offset = 0; offset < totalBytes; offset += chunkBytes) {
    let hex = '';
    for (let i = offset; i < Math.min(totalBytes, offset + chunkBytes); i++) hex += `\\x${(i * 7 + 0x41) % 256 < 16 ? '0' : ''}${((i * 7 + 0x41) % 256).toString(16)}`;
    lines.push(`/bin/busybox echo -ne '${hex}' >> dvrHelper; ${MARK}`);
  }
  return lines;
}

export function miraiScript(): ScriptStep[] {
  const steps: ScriptStep[] = [
    { line: `enable; ${MARK}`, until: MARK_REPLY },
    { line: `system; ${MARK}`, until: MARK_REPLY },
    { line: `shell; ${MARK}`, until: MARK_REPLY },
    { line: `sh; ${MARK}`, until: MARK_REPLY },
    { line: `/bin/busybox ps; ${MARK}`, until: MARK_REPLY },
    { line: `/bin/busybox cat /proc/mounts; ${MARK}`, until: MARK_REPLY },
    { line: `/bin/busybox cat /proc/cpuinfo; ${MARK}`, until: MARK_REPLY },
    { line: `cd /tmp; /bin/busybox cp /bin/echo dvrHelper; >dvrHelper; /bin/busybox chmod 777 dvrHelper; ${MARK}`, until: MARK_REPLY },
    { line: `/bin/busybox dd bs=52 count=1 if=/bin/echo || /bin/busybox cat /bin/echo; ${MARK}`, until: MARK_REPLY },
    ...echoChunks(1024, 128).map((line) => ({ line, until: MARK_REPLY })),
    { line: './dvrHelper telnet.arm7; /bin/busybox IHCCE', until: 'IHCCE: applet not found' },
  ];
  return steps;
}

export const markerReply = MARK_REPLY;
