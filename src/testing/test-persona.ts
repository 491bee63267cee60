// A small hand-made persona for shell tests: an ARMv7 IP camera with a handful of files. Real
// persona packs live in personas/; tests must not depend on them.
import type { FsNode, FsTree, PersonaView } from '../core/persona.ts';

const enc = new TextEncoder();
/** 2024-01-02 03:04:05 UTC, in ms: every file's mtime, so `ls -l` output is stable. */
export const testMtime = Date.UTC(2024, 0, 2, 3, 4, 5);

/** A valid 52-byte ELF32 little-endian header for ARM (EABI5), followed by some code-ish bytes. */
export function armElfHeader(): Uint8Array {
  const bytes = new Uint8Array(52 + 76);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]);
  view.setUint16(16, 2, true); // ET_EXEC
  view.setUint16(18, 40, true); // EM_ARM
  view.setUint32(20, 1, true);
  view.setUint32(24, 0x8000 + 52, true);
  view.setUint32(28, 52, true);
  view.setUint32(36, 0x05000002, true);
  view.setUint16(40, 52, true);
  view.setUint16(42, 32, true);
  return bytes;
}

const dir = (mode = 0o755): FsNode => ({ kind: 'dir', mode, uid: 0, gid: 0, mtime: testMtime });
const file = (text: string | Uint8Array, mode = 0o644): FsNode => ({
  kind: 'file',
  data: typeof text === 'string' ? enc.encode(text) : text,
  mode,
  uid: 0,
  gid: 0,
  mtime: testMtime,
});
const link = (target: string): FsNode => ({ kind: 'symlink', target, mtime: testMtime });

export function testTree(): FsTree {
  return new Map<string, FsNode>([
    ['/', dir()],
    ['/bin', dir()],
    ['/bin/busybox', file(armElfHeader(), 0o755)],
    ['/bin/echo', link('busybox')],
    ['/bin/sh', link('busybox')],
    ['/bin/ls', link('busybox')],
    ['/dev', dir()],
    ['/dev/null', { kind: 'device', device: 'null', mode: 0o666, mtime: testMtime }],
    ['/dev/zero', { kind: 'device', device: 'zero', mode: 0o666, mtime: testMtime }],
    ['/etc', dir()],
    ['/etc/passwd', file('root:x:0:0:root:/root:/bin/sh\nadmin:x:1000:1000:admin:/home/admin:/bin/sh\n')],
    ['/etc/group', file('root:x:0:\nadmin:x:1000:\n')],
    ['/home', dir()],
    ['/home/admin', { kind: 'dir', mode: 0o755, uid: 1000, gid: 1000, mtime: testMtime }],
    ['/proc', dir(0o555)],
    ['/proc/cpuinfo', file('processor\t: 0\nmodel name\t: ARMv7 Processor rev 5 (v7l)\nBogoMIPS\t: 1196.03\n\nprocessor\t: 1\nmodel name\t: ARMv7 Processor rev 5 (v7l)\nBogoMIPS\t: 1196.03\n\nHardware\t: hi3516dv300\n', 0o444)],
    ['/proc/meminfo', file('MemTotal:          59232 kB\nMemFree:           11476 kB\nMemAvailable:      21004 kB\nBuffers:            1528 kB\nCached:            12004 kB\nSwapCached:            0 kB\nShmem:                60 kB\nSwapTotal:             0 kB\nSwapFree:              0 kB\n', 0o444)],
    ['/proc/mounts', file('rootfs / rootfs rw 0 0\n/dev/root / squashfs ro,relatime 0 0\nproc /proc proc rw,relatime 0 0\ntmpfs /tmp tmpfs rw,relatime 0 0\ntmpfs /dev tmpfs rw,relatime 0 0\n/dev/mtdblock4 /mnt/mtd jffs2 rw,relatime 0 0\n', 0o444)],
    ['/root', dir(0o700)],
    ['/tmp', dir(0o1777)],
    ['/usr', dir()],
    ['/usr/bin', dir()],
    ['/var', dir()],
  ]);
}

export function testPersona(fs: FsTree = testTree()): PersonaView {
  return {
    id: 'test-cam',
    name: 'Test ARMv7 camera',
    vendor: 'Acme',
    model: 'CAM-1',
    deviceClass: 'ip-camera',
    firmware: 'V1.0.0',
    hostname: 'IPCAM',
    arch: { uname: 'armv7l', elf: { bits: 32, endian: 'little', machine: 40, flags: 0x05000002 } },
    kernel: { release: '3.18.20', version: '#1 SMP Tue Mar 5 10:12:11 CST 2019' },
    busybox: {
      version: '1.20.2',
      buildLine: 'BusyBox v1.20.2 (2019-03-05 10:12:11 CST) multi-call binary.',
      applets: ['[', 'ash', 'busybox', 'cat', 'chmod', 'cp', 'dd', 'echo', 'ls', 'mkdir', 'ps', 'rm', 'sh', 'telnetd', 'tftp', 'wget'],
    },
    telnet: {
      negotiation: new Uint8Array([255, 251, 1]),
      greeting: '\r\n',
      loginPrompt: '{hostname} login: ',
      passwordPrompt: 'Password: ',
      loginIncorrect: 'Login incorrect\r\n',
      motd: '',
      loginFailureDelayMs: 0,
      maxLoginAttempts: 3,
    },
    shell: { prompt: '\\u@\\h:\\w\\$ ', env: { PATH: '/bin:/sbin:/usr/bin:/usr/sbin', HOME: '/root', SHELL: '/bin/sh', USER: 'root' }, home: '/root' },
    credentials: { accepted: [{ username: 'root', password: 'xmhdipc' }], acceptAfterFailures: null },
    processes: [
      { pid: 1, user: 'root', vsz: 1504, stat: 'S', command: 'init' },
      { pid: 2, user: 'root', vsz: 0, stat: 'SW', command: '[kthreadd]' },
      { pid: 402, user: 'root', vsz: 1508, stat: 'S', command: 'telnetd' },
      { pid: 517, user: 'root', vsz: 48220, stat: 'S', command: '/usr/bin/Sofia' },
    ],
    network: {
      interfaces: [
        { name: 'eth0', mac: '00:12:41:3A:5B:6C', ipv4: '192.168.1.10', netmask: '255.255.255.0', broadcast: '192.168.1.255', mtu: 1500 },
        { name: 'lo', mac: null, ipv4: '127.0.0.1', netmask: '255.0.0.0', broadcast: null, mtu: 65536 },
      ],
      gateway: '192.168.1.1',
      listening: [
        { proto: 'tcp', local: '0.0.0.0:23', program: 'telnetd' },
        { proto: 'tcp', local: '0.0.0.0:80', program: 'Sofia' },
        { proto: 'udp', local: '0.0.0.0:34569', program: 'Sofia' },
      ],
    },
    uptimeSeconds: 3 * 86400 + 4 * 3600 + 5 * 60,
    commandOutputs: {},
    fs,
  };
}
