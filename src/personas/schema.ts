// The schema of personas/<id>/persona.yaml: everything a persona is that is not a file in fs/.
// Strict objects everywhere so a misspelt key is an error, not a silently ignored default.
import { z } from 'zod';

const hexBytes = z
  .string()
  .regex(/^\s*[0-9a-fA-F]{2}(\s+[0-9a-fA-F]{2})*\s*$/, { message: 'expected hex bytes separated by spaces, like "ff fd 01"' });

/** File modes are octal strings ("0755", "1777") so YAML's integer rules cannot misread them. */
const octalMode = z.string().regex(/^[0-7]{3,4}$/, { message: 'expected an octal mode string like "0755"' });

const absolutePath = z
  .string()
  .regex(/^\/(?:[^/\0]+(?:\/[^/\0]+)*)?$/, { message: 'expected an absolute normalised path like "/etc/passwd"' })
  .refine((p) => !p.split('/').some((part) => part === '.' || part === '..'), { message: 'path must not contain "." or ".."' });

const appletName = z.string().regex(/^[a-z0-9_.[\]-]+$/, { message: 'expected an applet name like "ls" or "[["' });

const ipv4 = z.string().regex(/^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/, {
  message: 'expected a dotted IPv4 address',
});

const mac = z.string().regex(/^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}$/, { message: 'expected a MAC address like "00:12:34:56:78:9A"' });

export const deviceClasses = ['ip-camera', 'router', 'dvr', 'appliance', 'smart-hub', 'nas'] as const;

const credential = z.strictObject({ username: z.string().min(1).max(64), password: z.string().max(128) });

const processEntry = z.strictObject({
  pid: z.int().min(1).max(4194304),
  user: z.string().min(1),
  vsz: z.int().min(0),
  stat: z.string().min(1).max(8),
  command: z.string().min(1),
});

const networkInterface = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.:@-]{1,15}$/, { message: 'expected an interface name like "eth0"' }),
  mac: mac.nullable(),
  ipv4: ipv4.nullable(),
  netmask: ipv4.nullable(),
  broadcast: ipv4.nullable(),
  mtu: z.int().min(68).max(1048576),
});

const listeningSocket = z.strictObject({
  proto: z.enum(['tcp', 'udp']),
  local: z.string().regex(/^(?:\d{1,3}(?:\.\d{1,3}){3}|::):\d{1,5}$/, { message: 'expected ADDRESS:PORT like "0.0.0.0:23" or ":::80"' }),
  program: z.string().min(1),
});

export const packSchema = z.strictObject({
  name: z.string().min(1),
  vendor: z.string().min(1),
  model: z.string().min(1),
  deviceClass: z.enum(deviceClasses),
  firmware: z.string().min(1),
  hostname: z.string().regex(/^[A-Za-z0-9()._-]{1,64}$/, { message: 'expected a hostname (letters, digits, "-", "_", ".")' }),
  arch: z.strictObject({
    /** `uname -m`: armv7l, armv5tejl, mips, aarch64, ... */
    uname: z.string().min(1),
    elf: z.strictObject({
      bits: z.union([z.literal(32), z.literal(64)]),
      endian: z.enum(['little', 'big']),
      machine: z.int().min(1).max(0xffff),
      flags: z.int().min(0).max(0xffffffff),
    }),
  }),
  kernel: z.strictObject({
    release: z.string().min(1),
    /** `uname -v`: "#43 Thu Jan 28 17:51:04 CST 2016". */
    version: z.string().min(1),
    /** The "(user@host)" and "(gcc version ...)" parts of /proc/version. */
    builder: z.string().min(1),
    compiler: z.string().min(1),
  }),
  busybox: z.strictObject({
    version: z.string().regex(/^\d+\.\d+\.\d+$/, { message: 'expected a version like "1.20.2"' }),
    /** Build stamp as BusyBox prints it in parentheses: "2016-03-24 14:21:12 CST". */
    built: z.string().min(1),
    /** Size of the generated /bin/busybox in bytes. */
    binarySize: z.int().min(16384).max(4 * 1024 * 1024),
    /** Applets by the directory BusyBox installs their links in. */
    applets: z.strictObject({
      '/bin': z.array(appletName),
      '/sbin': z.array(appletName).default([]),
      '/usr/bin': z.array(appletName).default([]),
      '/usr/sbin': z.array(appletName).default([]),
    }),
  }),
  telnet: z.strictObject({
    negotiation: hexBytes,
    greeting: z.string(),
    loginPrompt: z.string().min(1),
    passwordPrompt: z.string().min(1),
    loginIncorrect: z.string().min(1),
    motd: z.string(),
    loginFailureDelayMs: z.int().min(0).max(60000),
    maxLoginAttempts: z.int().min(1).max(100),
  }),
  shell: z.strictObject({
    prompt: z.string().min(1),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()),
    home: absolutePath,
  }),
  credentials: z.strictObject({
    accepted: z.array(credential).min(1),
    acceptAfterFailures: z.int().min(1).max(1000).nullable(),
  }),
  processes: z.array(processEntry).min(1),
  network: z.strictObject({
    interfaces: z.array(networkInterface).min(1),
    gateway: ipv4.nullable(),
    listening: z.array(listeningSocket),
  }),
  uptimeSeconds: z.int().min(0),
  commandOutputs: z.record(z.string().min(1), z.string()).default({}),
  fs: z
    .strictObject({
      /** Modification time given to every file of the pack (ISO 8601), e.g. the firmware build time. */
      mtime: z.iso.datetime({ offset: true }),
      /** Directories created even when fs/ holds nothing in them (git keeps no empty dirs). */
      dirs: z.array(absolutePath).default([]),
      modes: z.record(absolutePath, octalMode).default({}),
      /** Device nodes beyond the standard /dev/null, zero, random, urandom, tty, console. */
      devices: z.record(absolutePath, z.enum(['null', 'zero', 'random', 'tty'])).default({}),
      /** Other executables (the vendor's daemons) generated as ELF files for the persona's CPU: path to size. */
      binaries: z.record(absolutePath, z.int().min(4096).max(8 * 1024 * 1024)).default({}),
    }),
});

export type PackYaml = z.infer<typeof packSchema>;
